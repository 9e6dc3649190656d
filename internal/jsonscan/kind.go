package jsonscan

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
