package validate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/severity"
)

// Kind classifies a finding. The values are the drift contract CI scripts
// match on; new kinds may be added, these never change.
type Kind string

const (
	MissingRequired     Kind = "missing_required"
	TypeMismatch        Kind = "type_mismatch"
	InvalidJSON         Kind = "invalid_json"
	UnknownEnumValue    Kind = "unknown_enum_value"
	UnknownEvent        Kind = "unknown_event"
	ConstraintViolation Kind = "constraint_violation"
	UnknownProperty     Kind = "unknown_property"
	// MissingExpected is a member every documented sample of the event
	// shows, which no document marks required (x-payhooks-expected), absent.
	MissingExpected Kind = "missing_expected"
	// DuplicateKey is a name that appears twice in one object: valid JSON,
	// but parsers disagree on which value wins, so the payload is ambiguous.
	DuplicateKey Kind = "duplicate_key"
	// PayloadTooLarge is a payload past ReferenceMaxBytes that the fast
	// engine could not judge alone: not shown clean, and not classified
	// further, since that would take memory in proportion to its values.
	PayloadTooLarge Kind = "payload_too_large"
)

// Kinds lists every kind, most severe first.
var Kinds = []Kind{MissingRequired, TypeMismatch, InvalidJSON, PayloadTooLarge, UnknownEnumValue, UnknownEvent, ConstraintViolation, MissingExpected, DuplicateKey, UnknownProperty}

// Severity says how much a finding matters; it follows from the kind.
type Severity string

const (
	Breaking Severity = severity.Breaking
	Warning  Severity = severity.Warning
	Info     Severity = severity.Info
)

// Severity returns the contract severity of k.
func (k Kind) Severity() Severity {
	switch k {
	case MissingRequired, TypeMismatch, InvalidJSON, PayloadTooLarge:
		return Breaking
	case UnknownEnumValue, UnknownEvent, ConstraintViolation, MissingExpected, DuplicateKey:
		return Warning
	default:
		return Info
	}
}

// Description says in a sentence what a kind means.
func (k Kind) Description() string {
	switch k {
	case MissingRequired:
		return "A required property is absent."
	case TypeMismatch:
		return "A value of another JSON type, null where not allowed, or no union variant fits."
	case InvalidJSON:
		return "The payload does not parse as JSON."
	case UnknownEnumValue:
		return "A string outside a documented enum."
	case UnknownEvent:
		return "An event type the schemas do not know."
	case ConstraintViolation:
		return "A format, pattern, length or range is not met."
	case UnknownProperty:
		return "A property the schema does not declare."
	case MissingExpected:
		return "A property every documented sample of the event shows, which no document marks required, is absent."
	case DuplicateKey:
		return "A name appears twice in one object; parsers disagree on which value wins."
	case PayloadTooLarge:
		return "A payload too large to classify in bounded memory, placed where the fast engine stopped."
	}
	return string(k)
}

// rank orders severities: higher is worse.
func (s Severity) rank() int { return severity.Rank(string(s)) }

// AtLeast reports whether s is as severe as min or more.
func (s Severity) AtLeast(min Severity) bool { return severity.AtLeast(string(s), string(min)) }

// ParseSeverity reads a -fail-on value.
func ParseSeverity(s string) (Severity, error) {
	if err := severity.Check(s); err != nil {
		return "", err
	}
	return Severity(s), nil
}

// Finding is one difference between a payload and its schema.
type Finding struct {
	Pointer  string   `json:"pointer"`
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Line is where the pointed-at value starts in the source file, from 1:
	// the record's line for NDJSON. Reporters use it for file:line positions;
	// it is not part of the JSON report.
	Line int `json:"-"`
}

func newFinding(pointer string, kind Kind, format string, args ...any) Finding {
	return Finding{Pointer: pointer, Kind: kind, Severity: kind.Severity(), Message: fmt.Sprintf(format, args...)}
}

// sortFindings orders findings by pointer, then kind, then message, so
// reports are stable run to run.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.Pointer, b.Pointer), cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Message, b.Message))
	})
}
