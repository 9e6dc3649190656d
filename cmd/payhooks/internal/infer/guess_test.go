package infer

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A member is passed over as "named like an id" by the one rule of package
// guess: a name that merely ends in the letters i, d (paid, valid) can
// still name the events; an event_id cannot.
func TestDiscriminatorNamedLikeAnIDByTheOneRule(t *testing.T) {
	g := newGuessStats()
	for _, doc := range []map[string]any{
		{"id": "1", "event_id": "a", "paid": "charge.paid"},
		{"id": "2", "event_id": "a", "paid": "charge.paid"},
		{"id": "3", "event_id": "b", "paid": "charge.refunded"},
	} {
		g.add(doc)
	}
	name, _, err := discriminator(g, "")
	require.NoError(t, err)
	assert.Equal(t, "paid", name)
}
