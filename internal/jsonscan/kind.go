package jsonscan

import "encoding/json"

// Kind is the JSON kind of a raw value, told by its first byte.
type Kind string

// The kinds KindOf tells apart; KindInvalid is a value no JSON starts like.
const (
	KindObject  Kind = "object"
	KindArray   Kind = "array"
	KindString  Kind = "string"
	KindNumber  Kind = "number"
	KindBoolean Kind = "boolean"
	KindNull    Kind = "null"
	KindInvalid Kind = "invalid"
)

// KindOf returns the JSON kind of raw, after any leading whitespace.
func KindOf(raw []byte) Kind {
	i := SkipSpace(raw, 0)
	if i >= len(raw) {
		return KindInvalid
	}
	switch c := raw[i]; {
	case c == '{':
		return KindObject
	case c == '[':
		return KindArray
	case c == '"':
		return KindString
	case c == 't' || c == 'f':
		return KindBoolean
	case c == 'n':
		return KindNull
	case c == '-' || (c >= '0' && c <= '9'):
		return KindNumber
	}
	return KindInvalid
}

// ValueKind is the JSON Schema type of a decoded value (as encoding/json
// decodes into any, with json.Number for numbers): "integer" for a whole
// number, "number" for another.
func ValueKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
	}
	return "number"
}
