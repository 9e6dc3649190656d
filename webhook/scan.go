package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/payhooks/payhooks/internal/jsonscan"
)

// The functions below split objects and arrays into their members without
// copying or decoding them (with package jsonscan). They check structure (brackets, strings, commas,
// colons) and leaves each member's own validity to the decoder of that
// member; generated Parse functions check the whole body with json.Valid
// first, and encoding/json does the same before calling UnmarshalJSON.

// eachMember calls fn with every member of the object in data, in order,
// and stops early when fn returns false.
func eachMember(data []byte, fn func(key []byte, escaped bool, value []byte) bool) error {
	return eachMemberAt(data, func(key []byte, escaped bool, start, end int) bool {
		return fn(key, escaped, data[start:end])
	})
}

// eachMemberAt is eachMember with each value's byte range in data.
func eachMemberAt(data []byte, fn func(key []byte, escaped bool, start, end int) bool) error {
	i := jsonscan.SkipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return fmt.Errorf("expected object, got %s", KindOf(data))
	}
	i = jsonscan.SkipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return errors.New("expected a property name")
		}
		end, err := jsonscan.SkipString(data, i)
		if err != nil {
			return err
		}
		key := data[i+1 : end-1]
		escaped := bytes.IndexByte(key, '\\') >= 0
		i = jsonscan.SkipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return errors.New("expected ':' after a property name")
		}
		i = jsonscan.SkipSpace(data, i+1)
		vend, err := jsonscan.SkipValue(data, i)
		if err != nil {
			return err
		}
		if !fn(key, escaped, i, vend) {
			return nil
		}
		i = jsonscan.SkipSpace(data, vend)
		if i >= len(data) {
			return jsonscan.ErrTruncated
		}
		switch data[i] {
		case ',':
			i = jsonscan.SkipSpace(data, i+1)
		case '}':
			return nil
		default:
			return fmt.Errorf("invalid character %q after a property value", data[i])
		}
	}
}

// keyString returns a property name as text, as encoding/json reads it
// (escapes resolved, invalid UTF-8 replaced by U+FFFD).
func keyString(key []byte, escaped bool) string {
	if !escaped && utf8.Valid(key) {
		return string(key)
	}
	var s string
	quoted := make([]byte, 0, len(key)+2)
	quoted = append(append(append(quoted, '"'), key...), '"')
	if json.Unmarshal(quoted, &s) != nil {
		return string(key)
	}
	return s
}

// splitArray returns the items of the array in data, sharing its memory.
func splitArray(data []byte) ([]json.RawMessage, error) {
	i := jsonscan.SkipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, fmt.Errorf("expected array, got %s", KindOf(data))
	}
	i = jsonscan.SkipSpace(data, i+1)
	var items []json.RawMessage
	if i < len(data) && data[i] == ']' {
		return []json.RawMessage{}, nil
	}
	for {
		end, err := jsonscan.SkipValue(data, i)
		if err != nil {
			return nil, err
		}
		items = append(items, data[i:end])
		i = jsonscan.SkipSpace(data, end)
		if i >= len(data) {
			return nil, jsonscan.ErrTruncated
		}
		switch data[i] {
		case ',':
			i = jsonscan.SkipSpace(data, i+1)
		case ']':
			return items, nil
		default:
			return nil, fmt.Errorf("invalid character %q after an array item", data[i])
		}
	}
}

// SetString returns a copy of body with the string at pointer replaced by
// value and every other byte unchanged, for sending a new delivery of a
// captured or example body (a fresh delivery id) without re-encoding it.
func SetString(body []byte, pointer, value string) ([]byte, error) {
	start, end := 0, len(body)
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		found := false
		base := start
		err := eachMemberAt(body[start:end], func(key []byte, escaped bool, s, e int) bool {
			if keyString(key, escaped) == tok {
				start, end, found = base+s, base+e, true
			}
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("set %s: %w", pointer, err)
		}
		if !found {
			return nil, fmt.Errorf("set %s: no such property", pointer)
		}
	}
	if KindOf(body[start:end]) != KindString {
		return nil, fmt.Errorf("set %s: the value is not a string", pointer)
	}
	quoted, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)-(end-start)+len(quoted))
	out = append(append(append(out, body[:start]...), quoted...), body[end:]...)
	return out, nil
}
