package webhook

import (
	"errors"
	"fmt"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
)

// Addressing says where a provider's deliveries name their event, which
// delivery they are, and what they are about. It is built once from the
// provider's schema (its x-payhooks-provider keyword), and it is the one
// rule by which generated Parse functions and handlers, the drift check,
// payhooks listen and payhooks send read a delivery.
type Addressing struct {
	// EventPointer is the JSON pointer of the event name in the body
	// ("/type"); "" only for a provider whose path alone names it.
	EventPointer string
	// PathPrefix, for a provider that names the event in the request path
	// as well (Augustus posts to "/api/service/webhook-event/" + event), is
	// the path before the name; "" when the body alone names it. Only the
	// body is signed, so the body decides (see Choose).
	PathPrefix string
	// DeliveryID is the JSON pointer of the id a delivery keeps across its
	// retries ("/id"), or BodyDeliveryID to key deliveries on their body.
	DeliveryID string
	// Subject is the JSON pointer of the object the event is about ("/data";
	// Stripe's "/data/object"); "" when the schema declares none.
	Subject string
}

// EventMember is what a body holds at the pointer that names its event.
type EventMember struct {
	// Kind is the member's JSON kind ("string", "number", "null", …), or ""
	// when the body has no member there.
	Kind string
	// Name is the event name when the member is a string.
	Name string
}

// Event returns the event a delivery received on path names: Choose of the
// body's Member. For a provider that names the event in the body only, a
// body without a string there names none (""), which is no error.
func (a Addressing) Event(path string, body []byte) (string, error) {
	return a.Choose(path, a.Member(body))
}

// Member reads the member at EventPointer of body as encoding/json reads
// it: the last of repeated names wins. A top-level name that is the body's
// last member (as Adyen sends it) is read from the end, without a pass over
// everything before it.
func (a Addressing) Member(body []byte) EventMember {
	return a.member(body, jsonscan.Lookup)
}

// FirstMember is Member for a caller that refuses a body with a repeated
// name by itself, as the drift check's fast engine does: a top-level name
// is read at its first occurrence, without a pass over the rest of the
// body, which for such a body is its only one.
func (a Addressing) FirstMember(body []byte) EventMember {
	return a.member(body, func(body []byte, pointer string) (int, int, error) {
		name, ok := jsonpointer.TopLevel(pointer)
		if !ok {
			return jsonscan.Lookup(body, pointer)
		}
		if start, end, ok := jsonscan.First(body, name); ok {
			return start, end, nil
		}
		return 0, 0, errNoMember
	})
}

// errNoMember is FirstMember's error for a body without the member.
var errNoMember = errors.New("no member")

// member reads the member at EventPointer: from the end when it is the
// body's last top-level member, else with lookup.
func (a Addressing) member(body []byte, lookup func(body []byte, pointer string) (start, end int, err error)) EventMember {
	if a.EventPointer == "" {
		return EventMember{} // the path alone names the event
	}
	start, end, err := 0, 0, error(nil)
	if name, ok := jsonpointer.TopLevel(a.EventPointer); !ok {
		start, end, err = lookup(body, a.EventPointer)
	} else if start, end, ok = jsonscan.LastMember(body, name); !ok {
		start, end, err = lookup(body, a.EventPointer)
	}
	if err != nil {
		return EventMember{}
	}
	m := EventMember{Kind: string(jsonscan.KindOf(body[start:end]))}
	m.Name, _ = StringAt(body[start:end], "")
	return m
}

// Choose is the event a delivery received on path names, given the body's
// member m at EventPointer (read by Member, or by a decoder as it goes).
// For a provider that names the event in the path too, the signed body
// decides: a path naming another event is an error, since an attacker can
// re-post a signed body to any path, and so is a member that is no string
// ("type": 5), which names no event a path could stand in for; on a
// mismatch the body's name comes back with the error. Only a body without
// the member falls back to the path, and a path outside PathPrefix names
// nothing.
func (a Addressing) Choose(path string, m EventMember) (string, error) {
	if a.PathPrefix == "" {
		return m.Name, nil
	}
	fromPath, under := strings.CutPrefix(path, a.PathPrefix)
	if !under {
		fromPath = ""
	}
	switch {
	case m.Kind == "":
		return fromPath, nil
	case m.Kind != string(jsonscan.KindString):
		return "", fmt.Errorf("the signed body's %s is %s, not an event name; the request path cannot stand in for it", a.EventPointer, article(m.Kind))
	case fromPath != "" && fromPath != m.Name:
		return m.Name, fmt.Errorf("the request path names event %q but the signed body names %q at %s", fromPath, m.Name, a.EventPointer)
	}
	return m.Name, nil
}

// ID returns a delivery's id: the string at DeliveryID, or for
// BodyDeliveryID the body's BodyID. ok is false when the body has no
// string there.
func (a Addressing) ID(body []byte) (id string, ok bool) {
	if a.DeliveryID == BodyDeliveryID {
		return BodyID(body), true
	}
	return StringAt(body, a.DeliveryID)
}

// article puts "a" or "an" before a JSON kind.
func article(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an " + kind
	}
	return "a " + kind
}
