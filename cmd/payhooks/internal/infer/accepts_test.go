package infer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/infer"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

// A scaffold accepts the samples it was made from; one it refuses is named
// with its first finding.
func TestAcceptsItsSamples(t *testing.T) {
	samples := []infer.Sample{
		{Source: "a.json", Body: []byte(`{"id": "evt_1", "type": "paid", "amount": 1}`)},
		{Source: "b.json", Body: []byte(`{"id": "evt_2", "type": "paid", "amount": 2}`)},
	}
	p, err := infer.Scaffold(infer.SamplesOf(samples), infer.ProviderOptions{Name: "acme", Signature: webhook.Scheme{Name: "ivy"}})
	require.NoError(t, err)
	v, err := validate.New(mapFS(p.Files))
	require.NoError(t, err)
	require.NoError(t, infer.AcceptsItsSamples(v, infer.SamplesOf(samples)))

	other := append(samples, infer.Sample{Source: "c.json", Body: []byte(`{"id": "evt_3", "type": "paid", "amount": "3"}`)})
	err = infer.AcceptsItsSamples(v, infer.SamplesOf(other))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the scaffold refuses its own sample c.json: type_mismatch /amount: ")
}
