package webhook

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/payhooks/payhooks/internal/jsonscan"
)

// Augustus names the event in the request path and in the signed body: the
// body decides, a path only stands in for a body that names none.
func TestAddressingEventInThePath(t *testing.T) {
	a := Addressing{EventPointer: "/type", PathPrefix: "/api/service/webhook-event/"}
	const prefix = "/api/service/webhook-event/"
	for _, tc := range []struct {
		path, body, want, err string
	}{
		{prefix + "a", `{"type": "a"}`, "a", ""},
		{prefix + "b", `{"type": "a"}`, "a", `the request path names event "b" but the signed body names "a" at /type`},
		{prefix + "a", `{"id": "x"}`, "a", ""},
		{"/elsewhere", `{"type": "a"}`, "a", ""},
		{"/elsewhere", `{}`, "", ""},
		{prefix, `{"type": "a"}`, "a", ""},
		{prefix + "a", `{"type": "b", "type": "a"}`, "a", ""},
		{prefix + "a", `{"type": "a", "id": "x", "type": "b"}`, "b", `the request path names event "a" but the signed body names "b" at /type`},
		{prefix + "a", `{"type": 5}`, "", "the signed body's /type is a number, not an event name; the request path cannot stand in for it"},
		{prefix + "a", `{"type": null}`, "", "the signed body's /type is a null, not an event name; the request path cannot stand in for it"},
		{prefix + "a", `{"type": {"a": 1}}`, "", "the signed body's /type is an object, not an event name; the request path cannot stand in for it"},
		{"/elsewhere", `{"type": 5}`, "", "the signed body's /type is a number, not an event name; the request path cannot stand in for it"},
	} {
		got, err := a.Event(tc.path, []byte(tc.body))
		if tc.err != "" {
			assert.EqualError(t, err, tc.err)
		} else {
			assert.NoError(t, err)
		}
		assert.Equal(t, tc.want, got, "%s %s", tc.path, tc.body)
	}
}

// A provider whose body alone names the event: the last of repeated
// names, as encoding/json reads it, from the end when it is the last
// member; a body without a string there names none, with no error.
func TestAddressingEventInTheBody(t *testing.T) {
	top := Addressing{EventPointer: "/type"}
	nested := Addressing{EventPointer: "/meta/type"}
	for _, tc := range []struct {
		a          Addressing
		body, want string
	}{
		{top, `{"id": "1", "type": "last"}`, "last"},
		{top, `{"type": "first", "id": "1"}`, "first"},
		{top, `{"type": "x", "type": "y"}`, "y"},
		{top, `{"type": "x", "data": {"type": "inner"}}`, "x"},
		{top, `{"type": "\u0061b"}`, "ab"},
		{top, "{\"type\": \"\xf1\"}", "\ufffd"},
		{top, `{"type": 5}`, ""},
		{top, `{}`, ""},
		{top, `not json`, ""},
		{nested, `{"meta": {"type": "deep"}, "type": "top"}`, "deep"},
	} {
		got, err := tc.a.Event("/ignored", []byte(tc.body))
		assert.NoError(t, err)
		assert.Equal(t, tc.want, got, "%s", tc.body)
	}
}

// A provider that documents no delivery id (Adyen's balance platform
// webhooks) is keyed on its exact body: a retry, the same bytes, is the
// same delivery; any byte more is another.
func TestAddressingID(t *testing.T) {
	body := []byte(`{"type": "balancePlatform.transfer.updated", "data": {"id": "T1", "sequenceNumber": 2}}`)
	id, ok := Addressing{DeliveryID: "/data/id"}.ID(body)
	assert.True(t, ok)
	assert.Equal(t, "T1", id, "a pointer reads the string there")
	_, ok = Addressing{DeliveryID: "/data/sequenceNumber"}.ID(body)
	assert.False(t, ok, "a number is no id")
	byBody := Addressing{DeliveryID: BodyDeliveryID}
	id, ok = byBody.ID(body)
	assert.True(t, ok)
	// printf '%s' "$body" | sha256sum
	assert.Equal(t, "sha256-bcf26acfb6b4dee5efc44152da69fbdd1b7bec74015086742fee1a8a6b354c97", id)
	again, _ := byBody.ID(append([]byte(nil), body...))
	assert.Equal(t, id, again)
	other, _ := byBody.ID(append([]byte(" "), body...))
	assert.NotEqual(t, id, other)
}

// FirstMember reads what Member reads in every body without a repeated
// top-level name (the only ones its caller, the fast engine, judges).
func FuzzFirstMemberIsMemberWithoutRepeats(f *testing.F) {
	for _, s := range []string{`{"type": "a", "id": "1"}`, `{"id": "1", "type": "a"}`, `{"type": 5}`, `{"data": {"type": "x"}}`, `{"type": "\u0061"}`, `[1]`, `{"type": "a", "type": "b"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		names := map[string]bool{}
		repeated := false
		if jsonscan.EachMember(body, func(key []byte, escaped bool, _, _ int) bool {
			name := string(jsonscan.Name(key, escaped))
			repeated = repeated || names[name]
			names[name] = true
			return true
		}) != nil || repeated {
			return
		}
		for _, a := range []Addressing{{EventPointer: "/type"}, {EventPointer: "/data/type"}} {
			assert.Equal(t, a.Member(body), a.FirstMember(body), "%q", body)
		}
	})
}

// A body key has one shape, tested here only; a provider's id of that shape
// is told from a body key by the hash, which no id can be of its own body.
func TestBodyIDShapeAndKeyedOnBody(t *testing.T) {
	body := []byte(`{"id": "x"}`)
	id := BodyID(body)
	assert.True(t, IsBodyID(id))
	assert.True(t, KeyedOnBody(id, body))
	for _, notBodyID := range []string{"", "sha256-", id[:len(id)-1], id + "0", "SHA256-" + id[7:], "sha256-" + strings.ToUpper(id[7:]), "body-" + id[7:23]} {
		assert.False(t, IsBodyID(notBodyID), notBodyID)
		assert.False(t, KeyedOnBody(notBodyID, body), notBodyID)
	}
	hostile := BodyID([]byte("another body"))
	assert.True(t, IsBodyID(hostile))
	assert.False(t, KeyedOnBody(hostile, []byte(`{"id": "`+hostile+`"}`)))
}
