package learn_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/learn"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/validate"
)

// FuzzLearn feeds any payload, twice, to a learner on a small provider
// (testdata/acme): it never panics, every applied edit splices into valid
// JSON, the edited folder compiles, and the payload then has none of the
// findings that were applied.
func FuzzLearn(f *testing.F) {
	acme := os.DirFS("testdata/acme")
	example, err := fs.ReadFile(acme, "acme/examples/payment.paid.json")
	require.NoError(f, err)
	f.Add(example)
	f.Add([]byte(`{"id": "e", "type": "payment.paid", "data": {"amount": "12", "status": "void", "card": {"last4": "1", "brand": "x"}, "tags": [1, null]}}`))
	f.Add([]byte(`{"id": "e", "type": "refund.created", "data": {"id": "r", "amount": 1.5, "source": 7}}`))
	f.Add([]byte(`{"type": "payment.paid", "created": null, "data": {"id": null, "currency": "eur", "extra": [{"a": {"b": []}}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := learn.New(acme, learn.Options{Relax: true})
		require.NoError(t, err)
		p := validate.Payload{Source: "fuzz.json", Body: body}
		l.Add(p)
		l.Add(p)
		proposals, err := l.Proposals()
		require.NoError(t, err)
		changed, err := learn.Apply(acme, proposals)
		require.NoError(t, err)
		if len(changed) == 0 {
			return
		}
		for name, data := range changed {
			require.True(t, json.Valid(data), "%s is not JSON after the edits:\n%s", name, data)
		}
		learned := overlay(t, acme, changed)
		_, err = catalog.Load(learned)
		require.NoError(t, err)
		v, err := validate.New(learned)
		require.NoError(t, err, "the learned folder compiles")
		applied := map[string]bool{}
		for _, prop := range proposals {
			if prop.Applied {
				applied[string(prop.Kind)+" "+prop.Pointer] = true
			}
		}
		for _, f := range v.Check(p).Findings {
			require.False(t, applied[string(f.Kind)+" "+learn.Place(body, f.Pointer)], "%s %s %s remains after learning it from %q", f.Kind, f.Pointer, f.Message, body)
		}
	})
}
