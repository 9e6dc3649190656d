package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/payhooks/payhooks/webhook"
)

// A delivery is posted to the path its provider's route reads it on: the
// event after the prefix of a provider that names it in the path.
func TestPathOfIsOnTheRoute(t *testing.T) {
	inPath := &Provider{Name: "augustus", Addressing: webhook.Addressing{EventPointer: "/type", PathPrefix: "/api/service/webhook-event/"}}
	assert.Equal(t, "/api/service/webhook-event/paid", inPath.PathOf("paid"))
	assert.True(t, inPath.OnRoute(inPath.PathOf("paid")))
	event, err := inPath.Addressing.Choose(inPath.PathOf("paid"), webhook.EventMember{})
	assert.NoError(t, err)
	assert.Equal(t, "paid", event)

	inBody := &Provider{Name: "finmo", Addressing: webhook.Addressing{EventPointer: "/event_name"}}
	assert.Equal(t, "/finmo", inBody.PathOf("paid"))
	assert.True(t, inBody.OnRoute(inBody.PathOf("paid")))
}
