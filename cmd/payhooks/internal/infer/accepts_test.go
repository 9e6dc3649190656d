package infer

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

// A scaffold accepts the samples it was made from; one it refuses is named
// with its first finding.
func TestAcceptsItsSamples(t *testing.T) {
	samples := []Sample{
		{Source: "a.json", Body: []byte(`{"id": "evt_1", "type": "paid", "amount": 1}`)},
		{Source: "b.json", Body: []byte(`{"id": "evt_2", "type": "paid", "amount": 2}`)},
	}
	p, err := Scaffold(SamplesOf(samples), ProviderOptions{Name: "acme", Signature: webhook.Scheme{Name: "ivy"}})
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for name, data := range p.Files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	v, err := validate.New(fsys)
	require.NoError(t, err)
	require.NoError(t, AcceptsItsSamples(v, SamplesOf(samples)))

	other := append(samples, Sample{Source: "c.json", Body: []byte(`{"id": "evt_3", "type": "paid", "amount": "3"}`)})
	err = AcceptsItsSamples(v, SamplesOf(other))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the scaffold refuses its own sample c.json: type_mismatch /amount: ")
}
