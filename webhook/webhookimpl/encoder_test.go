package webhookimpl

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/webhook"
)

func TestEncoderWritesMembersItemsAndExtra(t *testing.T) {
	var w Encoder
	w.ObjectStart()
	w.Name(`"a"`)
	n := int64(1)
	EncodeInt64(&n, &w)
	w.Name(`"b"`)
	w.Null()
	w.Name(`"list"`)
	list := []string{"x", "y"}
	EncodeSlice(&list, &w, EncodeString[string])
	w.Name(`"map"`)
	m := map[string]bool{"z": true, "y": false}
	EncodeMap(&m, &w, EncodeBool)
	w.Name(`"amount"`)
	d := webhook.MustDecimal("1099.50")
	EncodeDecimal(&d, &w)
	w.Extra(map[string]json.RawMessage{"z": json.RawMessage(`true`), "y": json.RawMessage(`[1]`)})
	w.ObjectEnd()
	out, err := w.Bytes()
	require.NoError(t, err)
	assert.Equal(t, `{"a":1,"b":null,"list":["x","y"],"map":{"y":false,"z":true},"amount":1099.50,"y":[1],"z":true}`, string(out))

	var empty Encoder
	var nilSlice []string
	EncodeSlice(&nilSlice, &empty, EncodeString[string])
	out, _ = empty.Bytes()
	assert.Equal(t, `null`, string(out), "a nil slice, as encoding/json writes it")
}

// Documents are written into a reused scratch buffer; what Bytes returns is
// the caller's own, exactly the document's size, and one allocation.
func TestEncoderReturnsADocumentOfItsOwn(t *testing.T) {
	encode := func(note string, bad bool) ([]byte, error) {
		var w Encoder
		w.ObjectStart()
		w.Name(`"note"`)
		EncodeString(&note, &w)
		if bad {
			at := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
			w.Name(`"at"`)
			EncodeTime(&at, &w)
		}
		w.ObjectEnd()
		return w.Bytes()
	}
	first, err := encode("first", false)
	require.NoError(t, err)
	_, err = encode("failed", true)
	require.ErrorContains(t, err, "year outside of range")
	second, err := encode("second", false)
	require.NoError(t, err)
	assert.Equal(t, `{"note":"first"}`, string(first), "a later document does not overwrite an earlier one")
	assert.Equal(t, `{"note":"second"}`, string(second))
	assert.NotSame(t, &first[0], &second[0])

	// Goroutines encoding at once each get a buffer of their own (the race
	// detector, in make test, would see one shared).
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				note := fmt.Sprintf("goroutine %d, document %d", g, i)
				out, err := encode(note, false)
				assert.NoError(t, err)
				assert.Equal(t, `{"note":"`+note+`"}`, string(out))
			}
		})
	}
	wg.Wait()

	if !race.Enabled {
		long := strings.Repeat("a delivery's worth of text ", 60)
		allocs := testing.AllocsPerRun(100, func() {
			_, err := encode(long, false)
			require.NoError(t, err)
		})
		assert.Equal(t, 1.0, allocs, "a 1.6 KB document is the one allocation, not a buffer that regrew")
	}
}

func TestEncodeDateTimeIsItsMarshalJSON(t *testing.T) {
	dt := webhook.DateTime{Time: time.Date(2023, 12, 25, 21, 59, 59, 0, time.FixedZone("", 3600))}
	var w Encoder
	EncodeDateTime(&dt, &w)
	got, _ := w.Bytes()
	want, err := dt.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

func TestEncodeTimeIsTimesMarshalJSON(t *testing.T) {
	for _, at := range []time.Time{time.Date(2022, 3, 20, 13, 16, 11, 879000000, time.UTC), time.Date(2023, 12, 25, 21, 59, 59, 123456789, time.FixedZone("", 5*3600+1800)), {}} {
		var w Encoder
		EncodeTime(&at, &w)
		got, err := w.Bytes()
		require.NoError(t, err)
		want, err := at.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
	var w Encoder
	bad := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	EncodeTime(&bad, &w)
	_, err := w.Bytes()
	assert.ErrorContains(t, err, "year outside of range")
}

// FuzzEncodeString: strings are written as encoding/json writes them.
func FuzzEncodeString(f *testing.F) {
	for _, s := range []string{"plain", "quote\" back\\slash", "<a&b>", "tab\tnl\n\x00", "é\u2028\u2029", "\xff\xfe bad", "\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendString(nil, s)), "%q", s)
	})
}
