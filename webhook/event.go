package webhook

import (
	"fmt"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonscan"
)

// PathEvent returns the event of a delivery to a provider that names the
// event in the request path (prefix + name) as well as in the body (at
// pointer). Only the body is signed, so the body decides: a path naming
// another event is an error, since an attacker can re-post a signed body to
// any path, and so is a body whose member there is no string ("type": 5),
// which names no event a path could stand in for. Only a body without the
// member falls back to the path (the schema check reports the missing
// field as drift); a path outside prefix names nothing.
func PathEvent(path, prefix string, body []byte, pointer string) (string, error) {
	return ChooseEvent(path, prefix, EventMemberAt(body, pointer), pointer)
}

// EventMember is what a body holds at the pointer that names its event.
type EventMember struct {
	// Kind is the member's JSON kind ("string", "number", "null", …), or ""
	// when the body has no member there.
	Kind string
	// Name is the event name when the member is a string.
	Name string
}

// EventMemberAt reads the member at pointer of body.
func EventMemberAt(body []byte, pointer string) EventMember {
	start, end, err := jsonscan.Lookup(body, pointer)
	if err != nil {
		return EventMember{}
	}
	m := EventMember{Kind: string(jsonscan.KindOf(body[start:end]))}
	m.Name, _ = StringAt(body, pointer)
	return m
}

// ChooseEvent is PathEvent for a caller that has read the body's member
// itself, as generated Parse functions do.
func ChooseEvent(path, prefix string, m EventMember, pointer string) (string, error) {
	fromPath, under := strings.CutPrefix(path, prefix)
	if !under {
		fromPath = ""
	}
	switch {
	case m.Kind == "":
		return fromPath, nil
	case m.Kind != string(jsonscan.KindString):
		return "", fmt.Errorf("the signed body's %s is %s, not an event name; the request path cannot stand in for it", pointer, article(m.Kind))
	case fromPath != "" && fromPath != m.Name:
		return "", fmt.Errorf("the request path names event %q but the signed body names %q at %s", fromPath, m.Name, pointer)
	}
	return m.Name, nil
}

// article puts "a" or "an" before a JSON kind.
func article(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an " + kind
	}
	return "a " + kind
}
