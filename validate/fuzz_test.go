package validate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/corpus"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// FuzzCheck feeds mutated payloads to the whole check: it must never panic,
// and every finding must carry a contract kind, its severity and a message.
func FuzzCheck(f *testing.F) {
	for _, c := range corpus.Payloads(f, corpus.Examples, corpus.Drift) {
		f.Add(c.Data, "")
	}
	f.Add([]byte(`{"a":1,"a":2}`), "")
	f.Add([]byte("\xff"), "/finmo")
	f.Add([]byte(`[[[[`), "/api/service/webhook-event/x")
	f.Add([]byte(`{"type": "PAYMENT_COMPLETED", "data": {"amount": 1e999999999}}`), "")
	v, err := validate.New(schemas.FS)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := v.Check(validate.Payload{Body: body, Path: path})
		for _, fd := range r.Findings {
			assert.Contains(t, drift.Kinds, fd.Kind)
			assert.Equal(t, fd.Kind.Severity(), fd.Severity)
			assert.NotEmpty(t, fd.Message)
			assert.True(t, fd.Pointer == "" || fd.Pointer[0] == '/', fd.Pointer)
		}
	})
}
