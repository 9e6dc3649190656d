package jsonscan

import "fmt"

// TokenKind is what a Token is.
type TokenKind uint8

const (
	// Open is a '{' or '[' starting a container.
	Open TokenKind = iota + 1
	// Close is the '}' or ']' ending one.
	Close
	// Key is a member's name: a string followed by ':'.
	Key
	// Scalar is a string, number, true, false or null value.
	Scalar
)

// Token is one step of Walk through a document: its kind and its bytes,
// data[Start:End].
type Token struct {
	Kind TokenKind
	// Object says an Open or Close is an object's, not an array's.
	Object bool
	// Escaped says a Key (or a string Scalar) holds an escape:
	// Name(data[Start+1:End-1], Escaped) reads a key as encoding/json does.
	Escaped    bool
	Start, End int
}

// walkState is what Walk expects next.
type walkState uint8

const (
	expectValue        walkState = iota
	expectValueOrClose           // after '['
	expectName                   // after ',' in an object
	expectNameOrClose            // after '{'
	expectNext                   // after a value: ',', the container's close, or the end
)

// Walk calls fn with every token of the JSON document in data, in order,
// without decoding or copying anything, and stops early when fn returns
// false. It checks structure as the other scanners do (brackets, quotes,
// escapes, names and colons, MaxDepth), not the spelling of numbers and
// literals; at the first thing out of place it returns an error saying
// where. It is the one tokenizer beside the scanners: the drift check's
// locator and duplicate-name check and the schema loader's depth check
// stand on it.
func Walk(data []byte, fn func(Token) bool) error {
	var objects []bool // the open containers, innermost last: true for an object
	state := expectValue
	i := SkipSpace(data, 0)
	for {
		if i >= len(data) {
			if state == expectNext && len(objects) == 0 {
				return nil
			}
			return ErrTruncated
		}
		c := data[i]
		t := Token{Start: i}
		switch state {
		case expectNext:
			if len(objects) == 0 {
				return fmt.Errorf("invalid character %q after the top-level value at offset %d", c, i)
			}
			object := objects[len(objects)-1]
			switch {
			case c == ',' && object:
				state, i = expectName, i+1
			case c == ',':
				state, i = expectValue, i+1
			case c == '}' && object || c == ']' && !object:
				objects = objects[:len(objects)-1]
				t.Kind, t.Object, t.End = Close, object, i+1
			default:
				return fmt.Errorf("invalid character %q after a value at offset %d", c, i)
			}
		case expectName, expectNameOrClose:
			switch {
			case c == '}' && state == expectNameOrClose:
				objects = objects[:len(objects)-1]
				t.Kind, t.Object, t.End, state = Close, true, i+1, expectNext
			case c != '"':
				return fmt.Errorf("expected a property name at offset %d", i)
			default:
				end, escaped, err := String(data, i)
				if err != nil {
					return err
				}
				colon := SkipSpace(data, end)
				if colon >= len(data) || data[colon] != ':' {
					return fmt.Errorf("expected ':' after a property name at offset %d", colon)
				}
				t.Kind, t.Escaped, t.End, state = Key, escaped, end, expectValue
				if !fn(t) {
					return nil
				}
				i, t.Kind = colon+1, 0
			}
		default: // expectValue, expectValueOrClose
			switch {
			case c == ']' && state == expectValueOrClose:
				objects = objects[:len(objects)-1]
				t.Kind, t.End, state = Close, i+1, expectNext
			case c == '{' || c == '[':
				if len(objects) >= MaxDepth {
					return fmt.Errorf("nesting deeper than %d", MaxDepth)
				}
				objects = append(objects, c == '{')
				t.Kind, t.Object, t.End = Open, c == '{', i+1
				if state = expectValueOrClose; c == '{' {
					state = expectNameOrClose
				}
			case c == '"':
				end, escaped, err := String(data, i)
				if err != nil {
					return err
				}
				t.Kind, t.Escaped, t.End, state = Scalar, escaped, end, expectNext
			default:
				end, err := SkipValue(data, i)
				if err != nil {
					return err
				}
				t.Kind, t.End, state = Scalar, end, expectNext
			}
		}
		if t.Kind != 0 {
			if !fn(t) {
				return nil
			}
			i = t.End
		}
		i = SkipSpace(data, i)
	}
}
