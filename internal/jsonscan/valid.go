package jsonscan

import "fmt"

// SkipValid returns the index just past the value starting at i, checking
// in the same pass that it is valid JSON as encoding/json defines it
// (json.Valid on the value): for values read whole, never decoded, such as
// the unknown members a generated type keeps.
func SkipValid(data []byte, i int) (int, error) { return skipValid(data, i, 0) }

func skipValid(data []byte, i, depth int) (int, error) {
	if i >= len(data) {
		return 0, ErrTruncated
	}
	switch c := data[i]; {
	case c == '"':
		end, _, err := String(data, i)
		return end, err
	case c == '-' || c >= '0' && c <= '9':
		return Number(data, i)
	case c == 't':
		return Literal(data, i, "true")
	case c == 'f':
		return Literal(data, i, "false")
	case c == 'n':
		return Literal(data, i, "null")
	case c == '{' || c == '[':
		if depth++; depth > MaxDepth {
			return 0, fmt.Errorf("nesting deeper than %d", MaxDepth)
		}
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		i = SkipSpace(data, i+1)
		if i < len(data) && data[i] == closer {
			return i + 1, nil
		}
		for {
			if c == '{' {
				if i >= len(data) || data[i] != '"' {
					return 0, fmt.Errorf("expected a property name at offset %d", i)
				}
				end, _, err := String(data, i)
				if err != nil {
					return 0, err
				}
				if i = SkipSpace(data, end); i >= len(data) || data[i] != ':' {
					return 0, fmt.Errorf("expected ':' after a property name at offset %d", i)
				}
				i = SkipSpace(data, i+1)
			}
			end, err := skipValid(data, i, depth)
			if err != nil {
				return 0, err
			}
			switch i = SkipSpace(data, end); {
			case i >= len(data):
				return 0, ErrTruncated
			case data[i] == ',':
				i = SkipSpace(data, i+1)
			case data[i] == closer:
				return i + 1, nil
			default:
				return 0, fmt.Errorf("expected ',' or %q at offset %d", closer, i)
			}
		}
	}
	return 0, fmt.Errorf("invalid character %q looking for a value", data[i])
}

// Literal returns the index just past word (true, false or null) at i, or
// an error when it is not there.
func Literal(data []byte, i int, word string) (int, error) {
	if len(data)-i >= len(word) && string(data[i:i+len(word)]) == word {
		return i + len(word), nil
	}
	return 0, fmt.Errorf("invalid literal at offset %d", i)
}
