package infer

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/rounds"
	"github.com/payhooks/payhooks/webhook"
)

// uniqueKeySamples gives n samples of two events, each with a delivery id,
// a top-level member and a data member no other sample has (a map's keys),
// calling atEnd (when not nil) as the last one is read the second time
// through, while Scaffold holds all it will.
func uniqueKeySamples(n int, atEnd func()) Samples {
	passes := 0
	return func(yield func(Sample) error) error {
		passes++
		for i := range n {
			body := fmt.Sprintf(`{"id": "evt_%07d", "type": "payment.%s", "created": 1700000000, "k_%d": "v",
				"data": {"amount": %d, "currency": "USD", "customer": {"name": "Ada", "email": "ada@example.com"}, "order_%d": {"sku": "s", "qty": 1}}}`,
				i, []string{"paid", "failed"}[i%2], i, i, i)
			if err := yield(Sample{Source: fmt.Sprintf("s.ndjson:%d", i+1), Body: []byte(body)}); err != nil {
				return err
			}
			if passes == 2 && i == n-1 && atEnd != nil {
				atEnd()
			}
		}
		return nil
	}
}

// Scaffold holds the schemas it builds, not the samples: four times the
// samples (each with keys no other has) hold the heap about where it was,
// where holding them grew it by megabytes; the keys fold into maps.
func TestScaffoldMemoryIsBoundedBySchema(t *testing.T) {
	held := func(n int) int64 {
		before := rounds.LiveHeap()
		var atEnd uint64
		p, err := Scaffold(uniqueKeySamples(n, func() { atEnd = rounds.LiveHeap() }), ProviderOptions{Name: "acme", Signature: webhook.Scheme{Name: "ivy"}})
		require.NoError(t, err)
		assert.Contains(t, p.Notes, `events: "payment.failed", "payment.paid", one schema and up to 3 examples each`)
		assert.Len(t, p.Files, 1+2+2*maxExamples)
		return int64(atEnd) - int64(before)
	}
	small, large := held(2000), held(8000)
	t.Logf("held at the last sample: %d KB for 2000 samples, %d KB for 8000", small>>10, large>>10)
	assert.Less(t, large-small, int64(1<<20), "6000 more samples held %d more bytes", large-small)
}
