package generated_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/schemas"
)

// FuzzParse mutates the bundled examples and drift samples and feeds them to
// every provider's Parse: it never panics, and whatever it accepts encodes
// back to valid JSON.
func FuzzParse(f *testing.F) {
	require.NoError(f, fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.Contains(p, "/examples/") || strings.Contains(p, "/drift/")) && !strings.HasSuffix(p, ".expect.json") {
			data, err := fs.ReadFile(schemas.FS, p)
			require.NoError(f, err)
			f.Add(data)
		}
		return err
	}))
	parsers := []func([]byte) (any, error){
		func(b []byte) (any, error) { return finmo.Parse(b) },
		func(b []byte) (any, error) { return rapyd.Parse(b) },
		func(b []byte) (any, error) { return tazapay.Parse(b) },
		func(b []byte) (any, error) {
			return augustus.Parse("/api/service/webhook-event/checkout_session_updated", b)
		},
		func(b []byte) (any, error) { return augustus.Parse("", b) },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, parse := range parsers {
			e, err := parse(body)
			if err != nil {
				continue
			}
			out, err := json.Marshal(e)
			require.NoError(t, err, "%q", body)
			require.True(t, json.Valid(out), "%q → %q", body, out)
		}
	})
}
