package webhookimpl

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeA knows one event, "a", decoded as a map of raw values.
func decodeA(d *Decoder, name string) (map[string]json.RawMessage, bool, error) {
	if name != "a" {
		return nil, false, nil
	}
	var m map[string]json.RawMessage
	return m, true, DecodeMap(&m, d, DecodeRaw)
}

// The event name and the delivery id are what encoding/json would read
// (the last of repeated names), though ParseEvent reads them in passing.
func TestParseEventReadsNameAndIDAsEncodingJSON(t *testing.T) {
	body := EventSource{Pointer: "/type", DeliveryID: "/id"}
	for _, tc := range []struct {
		body, name, id string
		known          bool
	}{
		{`{"type": "a", "id": "x"}`, "a", "x", true},
		{`{"id": "x", "type": "a", "id": "y"}`, "a", "y", true},
		{`{"id": "x", "nested": {"id": "z"}}`, "", "x", false},
		{`{"type": "zz", "id": "x"}`, "zz", "x", false},
		{`{"type": "a", "id": "x", "type": "b"}`, "b", "x", false},
		{`{"type": "b", "id": "x", "type": "a"}`, "a", "x", true},
		{`{"type": 7, "id": "x", "type": "a"}`, "a", "x", true},
	} {
		p, err := ParseEvent([]byte(tc.body), "", body, decodeA)
		require.NoError(t, err, tc.body)
		assert.Equal(t, tc.name, p.Name, tc.body)
		assert.Equal(t, tc.id, p.ID, tc.body)
		assert.Equal(t, tc.known, p.Known, tc.body)
	}

	path := EventSource{Pointer: "/type", Prefix: "/p/", DeliveryID: "/id"}
	p, err := ParseEvent([]byte(`{"id": "x"}`), "/p/a", path, decodeA)
	require.NoError(t, err)
	assert.Equal(t, "a", p.Name, "a body naming no event falls back to the path")
	assert.True(t, p.Known)
	assert.Equal(t, "x", p.ID)
	p, err = ParseEvent([]byte(`{"type": "a", "id": "x"}`), "/p/b", path, decodeA)
	assert.ErrorContains(t, err, `the request path names event "b" but the signed body names "a"`)
	assert.Equal(t, "a", p.Name)
	assert.Equal(t, "x", p.ID)

	nested := EventSource{Pointer: "/meta/type", DeliveryID: "/meta/id"}
	p, err = ParseEvent([]byte(`{"meta": {"type": "a", "id": "m"}}`), "", nested, decodeA)
	require.NoError(t, err)
	assert.Equal(t, "a", p.Name)
	assert.Equal(t, "m", p.ID)
}
