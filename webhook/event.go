package webhook

import (
	"fmt"
	"strings"
)

// PathEvent returns the event of a delivery to a provider that names the
// event in the request path (prefix + name) as well as in the body (at
// pointer). Only the body is signed, so the body decides: a path naming
// another event is an error, since an attacker can re-post a signed body to
// any path. A body that names no event falls back to the path (the schema
// check reports the missing field as drift); a path outside prefix names
// nothing.
func PathEvent(path, prefix string, body []byte, pointer string) (string, error) {
	fromBody, ok := StringAt(body, pointer)
	return ChooseEvent(path, prefix, fromBody, ok, pointer)
}

// ChooseEvent is PathEvent for a caller that has read the body's event name
// (fromBody, ok) itself, as generated Parse functions do.
func ChooseEvent(path, prefix, fromBody string, ok bool, pointer string) (string, error) {
	fromPath, under := strings.CutPrefix(path, prefix)
	if !under {
		fromPath = ""
	}
	switch {
	case !ok:
		return fromPath, nil
	case fromPath != "" && fromPath != fromBody:
		return "", fmt.Errorf("the request path names event %q but the signed body names %q at %s", fromPath, fromBody, pointer)
	}
	return fromBody, nil
}
