package jsonscan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// EachMember calls fn with every member of the object in data, in order:
// its name's bytes between the quotes (escaped says whether Name must
// resolve them) and its value's byte range in data. It stops early when fn
// returns false. Values are skipped, not checked: fn decodes the ones it
// wants.
func EachMember(data []byte, fn func(key []byte, escaped bool, start, end int) bool) error {
	i := SkipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return fmt.Errorf("expected object, got %s", KindOf(data))
	}
	i = SkipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return errors.New("expected a property name")
		}
		end, escaped, err := String(data, i)
		if err != nil {
			return err
		}
		key := data[i+1 : end-1]
		i = SkipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return errors.New("expected ':' after a property name")
		}
		i = SkipSpace(data, i+1)
		vend, err := SkipValue(data, i)
		if err != nil {
			return err
		}
		if !fn(key, escaped, i, vend) {
			return nil
		}
		i = SkipSpace(data, vend)
		if i >= len(data) {
			return ErrTruncated
		}
		switch data[i] {
		case ',':
			i = SkipSpace(data, i+1)
		case '}':
			return nil
		default:
			return fmt.Errorf("invalid character %q after a property value", data[i])
		}
	}
}

// First returns the byte range of the value of the first member of the
// object in data called name (read as encoding/json reads names), for a
// caller that learns of a repeated name some other way; ok is false when
// there is none, or the object is malformed before it.
func First(data []byte, name string) (start, end int, ok bool) {
	_ = EachMember(data, func(key []byte, escaped bool, s, e int) bool {
		if string(Name(key, escaped)) != name {
			return true
		}
		start, end, ok = s, e, true
		return false
	})
	return start, end, ok
}

// LastMember guesses, from the end of data, the byte range of the value of
// the last member of the object in data when that member is called name and
// its value is a string: for a provider whose event name comes last, read
// without a pass over everything before it. A name or value with a
// backslash is not guessed at. The guess is right when data is valid JSON;
// a caller confirms it (a decode that met the member at start) before
// relying on it.
func LastMember(data []byte, name string) (start, end int, ok bool) {
	i := skipSpaceBack(data, len(data))
	if i == 0 || data[i-1] != '}' {
		return 0, 0, false
	}
	vstart, vend, ok := plainStringBack(data, skipSpaceBack(data, i-1))
	if !ok {
		return 0, 0, false
	}
	i = skipSpaceBack(data, vstart)
	if i == 0 || data[i-1] != ':' {
		return 0, 0, false
	}
	kstart, kend, ok := plainStringBack(data, skipSpaceBack(data, i-1))
	if !ok || string(data[kstart+1:kend-1]) != name {
		return 0, 0, false
	}
	if i = skipSpaceBack(data, kstart); i == 0 || (data[i-1] != ',' && data[i-1] != '{') {
		return 0, 0, false
	}
	return vstart, vend, true
}

// skipSpaceBack returns the index just past the last non-whitespace byte
// of data[:i].
func skipSpaceBack(data []byte, i int) int {
	for i > 0 && isSpace(data[i-1]) {
		i--
	}
	return i
}

// plainStringBack returns the range of the string that ends just before
// end, quotes included, when it has no backslash (so no escaped quote
// either) and no control byte.
func plainStringBack(data []byte, end int) (start, stop int, ok bool) {
	if end < 2 || data[end-1] != '"' {
		return 0, 0, false
	}
	for i := end - 2; i >= 0; i-- {
		switch c := data[i]; {
		case c == '"':
			// With no backslash inside, the quote before is the opening
			// one, unless a backslash escapes it.
			return i, end, i == 0 || data[i-1] != '\\'
		case c == '\\' || c < 0x20:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// errNoProperty is Lookup's error for a pointer that names a property the
// document lacks.
var errNoProperty = errors.New("no such property")

// Lookup returns the byte range of the value at an RFC 6901 pointer
// (property names, and indexes into arrays), walking the containers without
// decoding them. Like encoding/json, the last of repeated names wins.
func Lookup(data []byte, pointer string) (start, end int, err error) {
	start, end = 0, len(data)
	for rest := pointer; rest != ""; {
		var tok string
		tok, rest, _ = strings.Cut(strings.TrimPrefix(rest, "/"), "/")
		if rest != "" {
			rest = "/" + rest
		}
		tok = jsonpointer.Unescape(tok)
		found := false
		base := start
		var err error
		if i := SkipSpace(data, start); i < end && data[i] == '[' {
			// An array: the token is an index (RFC 6901: digits, no
			// leading zero).
			index, ierr := strconv.Atoi(tok)
			if ierr != nil || index < 0 || tok != strconv.Itoa(index) {
				return 0, 0, errNoProperty
			}
			n := 0
			err = EachItem(data[start:end], func(s, e int) bool {
				if n == index {
					start, end, found = base+s, base+e, true
					return false
				}
				n++
				return true
			})
		} else {
			err = EachMember(data[start:end], func(key []byte, escaped bool, s, e int) bool {
				if string(Name(key, escaped)) == tok {
					start, end, found = base+s, base+e, true
				}
				return true
			})
		}
		if err != nil {
			return 0, 0, err
		}
		if !found {
			return 0, 0, errNoProperty
		}
	}
	return start, end, nil
}

// EachItem calls fn with the byte range of every item of the array in
// data, in order, and stops early when fn returns false. Items are skipped,
// not checked.
func EachItem(data []byte, fn func(start, end int) bool) error {
	i := SkipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return fmt.Errorf("expected array, got %s", KindOf(data))
	}
	i = SkipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return nil
	}
	for {
		end, err := SkipValue(data, i)
		if err != nil {
			return err
		}
		if !fn(i, end) {
			return nil
		}
		i = SkipSpace(data, end)
		if i >= len(data) {
			return ErrTruncated
		}
		switch data[i] {
		case ',':
			i = SkipSpace(data, i+1)
		case ']':
			return nil
		default:
			return fmt.Errorf("invalid character %q after an array item", data[i])
		}
	}
}
