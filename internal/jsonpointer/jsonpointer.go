// Package jsonpointer builds and follows RFC 6901 JSON pointers over the
// generic values encoding/json produces. Findings, catalog errors and
// provider facts all name places in documents this way.
package jsonpointer

import (
	"strconv"
	"strings"
)

// Escape escapes one reference token: "~" becomes "~0" and "/" becomes "~1".
func Escape(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

// Unescape reverses Escape.
func Unescape(token string) string {
	if !strings.Contains(token, "~") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
}

// TopLevel returns the member name a one-token pointer ("/type") names;
// ok is false for any other pointer.
func TopLevel(ptr string) (name string, ok bool) {
	tok, rooted := strings.CutPrefix(ptr, "/")
	if !rooted || tok == "" || strings.Contains(tok, "/") {
		return "", false
	}
	return Unescape(tok), true
}

// Tokens returns the unescaped member names of a pointer below the root
// ("/data/object": data, object); ok is false for "" and a pointer that
// does not start with "/".
func Tokens(ptr string) (tokens []string, ok bool) {
	rest, rooted := strings.CutPrefix(ptr, "/")
	if !rooted {
		return nil, false
	}
	for _, tok := range strings.Split(rest, "/") {
		tokens = append(tokens, Unescape(tok))
	}
	return tokens, true
}

// Append adds one unescaped token to a pointer.
func Append(ptr, token string) string { return ptr + "/" + Escape(token) }

// AppendIndex adds an array index to a pointer.
func AppendIndex(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// Get follows ptr through maps and slices and reports whether it led to a
// value.
func Get(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = Unescape(tok)
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[tok]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}
