package validate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook/drift"
)

// A scalar that the schemas at its place refuse (a quoted amount where a
// number is declared, a null where none is allowed, a string outside its
// pattern) is the drift providers make most, often in every delivery. The
// fast engine words it itself, as the reference engine would, rather than
// hand each such payload over: a stream of them is checked at nearly the
// speed of a clean one. Containers of the wrong kind, escaped strings and
// anything inside a union still go to the reference engine.

// scalarCheck is one schema's keywords that judge a scalar.
type scalarCheck struct {
	types    []string // as the schema lists them (the engine's wording)
	bits     uint8
	enum     []string // nil: no enum
	enumNull bool     // the enum lists null too (OpenAPI 3.0's nullable enums, translated)
	// enumBools are the booleans the enum lists (Stripe's deleted: [true]):
	// bit 1 false, bit 2 true.
	enumBools uint8
	enumText  string
	constant  *string
	format    string // a format the engine asserts, or ""
	// minLength and maxLength count characters (runes), -1 when absent.
	minLength, maxLength int
	pattern              *regexp.Regexp
	// dateTime is a string the generated types read as a
	// webhook.DateTime (holds.go): one that is not such a date goes to the
	// reference engine, which says what the type cannot hold.
	dateTime bool
	// schema is the index of the schema among its node's applied ones.
	schema int
}

// scalarCheckOf returns s's scalar keywords, when it has any the fast
// engine models (string enums and consts; anything else makes the node
// unsupported already).
func scalarCheckOf(s *jsonschema.Schema) (scalarCheck, bool) {
	c := scalarCheck{types: s.Types, bits: typeBits(s.Types), pattern: s.Pattern, minLength: s.MinLength, maxLength: s.MaxLength,
		dateTime: holdsOf(s) == goDateTime}
	if _, known := jsonschema.Formats[s.Format]; known && s.Format != "" {
		c.format = s.Format
	}
	for _, v := range s.Enum {
		switch str := v.(type) {
		case string:
			c.enum = append(c.enum, str)
		case nil:
			c.enumNull = true
		case bool:
			c.enumBools |= boolBit(str)
		}
	}
	if len(s.Enum) > 0 && c.enum == nil {
		c.enum = []string{} // an enum of null or booleans alone: no string is in it
	}
	if c.enum != nil {
		c.enumText = enumText(s.Enum) // null too, where the schema lists it
	}
	if len(s.Constant) > 0 {
		if str, ok := s.Constant[0].(string); ok {
			c.constant = &str
		}
	}
	return c, len(c.types) > 0 || c.constrainsStrings()
}

// constrainsStrings reports whether the check reads a string's value.
func (c *scalarCheck) constrainsStrings() bool {
	return c.enum != nil || c.constant != nil || c.format != "" || c.pattern != nil || c.minLength >= 0 || c.maxLength >= 0 || c.dateTime
}

// lists reports whether the check's enum lists a value of kind other than
// string: null, or the boolean isTrue says.
func (c *scalarCheck) lists(kind uint8, isTrue bool) bool {
	return kind == kindNull && c.enumNull || kind == kindBool && c.enumBools&boolBit(isTrue) != 0
}

// boolBit is a boolean's bit in scalarCheck.enumBools.
func boolBit(b bool) uint8 {
	if b {
		return 2
	}
	return 1
}

// lengthOK reports whether a string of v's characters meets the check's
// minLength and maxLength.
func (c *scalarCheck) lengthOK(v []byte) bool {
	if c.minLength < 0 && c.maxLength < 0 {
		return true
	}
	n := utf8.RuneCount(v)
	return n >= c.minLength && (c.maxLength < 0 || n <= c.maxLength)
}

// scalarDrift notes what each schema of n has against the scalar of the
// given kind starting at i (end is its end, or 0 for a string), in the
// reference engine's words, and returns where the value ends. false hands
// the payload over: a container, an escaped string, a union.
func (s *scanner) scalarDrift(n *cnode, kind uint8, i, end int) (int, bool) {
	if kind == kindObject || kind == kindArray || len(n.variants) > 0 || s.inUnion > 0 {
		return 0, false // inside a union, a refusal only rules a variant out
	}
	var text string // a string's value
	if kind == kindString {
		e, escaped, err := jsonscan.String(s.data, i)
		if err != nil || escaped {
			return 0, false
		}
		end, text = e, string(s.data[i+1:e-1])
	}
	raw := s.data[i:end]
	value := scalarValue(kind, raw, text)
	at := s.pointer(nil)
	note := func(k drift.Kind, format string, args ...any) bool {
		return s.note(newFinding(at, k, format, args...))
	}
	evaluated := n.evaluated(kind)
	for _, c := range n.checks {
		if evaluated&(1<<c.schema) == 0 {
			continue // reached through a schema whose type refuses the value
		}
		if c.bits != 0 && c.bits&kind == 0 {
			expected := strings.Join(c.types, " or ")
			if kind == kindNull {
				if !note(drift.TypeMismatch, "null where not allowed: expected %s", expected) {
					return 0, false
				}
			} else if !note(drift.TypeMismatch, "expected %s, got %s", expected, describe(value)) {
				return 0, false
			}
			continue // the engine stops at a schema's type
		}
		isString := kind == kindString
		if c.constant != nil && !(isString && text == *c.constant) &&
			!note(drift.ConstraintViolation, "expected %#v, got %s", *c.constant, describe(value)) {
			return 0, false
		}
		if c.enum != nil && !(isString && slices.Contains(c.enum, text)) && !c.lists(kind, raw[0] == 't') {
			ok := false
			if isString {
				ok = note(drift.UnknownEnumValue, "%q is not a documented value (%s)", text, c.enumText)
			} else {
				ok = note(drift.TypeMismatch, "%s is not a documented value (%s)", describe(value), c.enumText)
			}
			if !ok {
				return 0, false
			}
		}
		if isString && c.format != "" && !jsonschema.Formats[c.format](text) &&
			!note(drift.ConstraintViolation, "%s is not a valid %s", describe(value), c.format) {
			return 0, false
		}
		if isString && (c.minLength >= 0 || c.maxLength >= 0) {
			// The engine's own words, after the keyword as classify writes it.
			n := utf8.RuneCountInString(text)
			if c.minLength >= 0 && n < c.minLength && !note(drift.ConstraintViolation, "minLength: length must be >= %d, but got %d", c.minLength, n) ||
				c.maxLength >= 0 && n > c.maxLength && !note(drift.ConstraintViolation, "maxLength: length must be <= %d, but got %d", c.maxLength, n) {
				return 0, false
			}
		}
		if isString && c.pattern != nil && !c.pattern.MatchString(text) &&
			!note(drift.ConstraintViolation, "%s does not match pattern %s", describe(value), engineQuote(c.pattern.String())) {
			return 0, false
		}
	}
	return end, true
}

// scalarValue is the value the reference engine decodes raw into (numbers
// as json.Number), for describe.
func scalarValue(kind uint8, raw []byte, text string) any {
	switch kind {
	case kindNull:
		return nil
	case kindBool:
		return raw[0] == 't'
	case kindString:
		return text
	}
	return json.Number(raw)
}

// engineQuote quotes a pattern as the schema engine's messages do: Go
// quoting, inside single quotes.
func engineQuote(s string) string {
	s = fmt.Sprintf("%q", s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}
