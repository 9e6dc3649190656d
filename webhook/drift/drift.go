// Package drift is the drift contract, defined once for everything that
// speaks it: the kinds of finding, the severity each kind carries, the
// order of severities (breaking, warning, info), and the Finding itself.
// Package validate produces findings, a generated handler reports them to
// its drift hook and rejects by them in strict mode (webhook.WithStrict),
// payhooks validate's reporters print them, and payhooks schemas diff and
// learn classify schema changes with the same severities. The names are
// what CI scripts match on: more kinds may be added, these never change.
// It imports nothing but the standard library.
package drift

import (
	"fmt"
	"strings"
)

// Kind classifies a finding.
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
	// PayloadTooLarge is a payload too large to classify in bounded memory
	// (validate.ReferenceMaxBytes): not shown clean, and not classified
	// further.
	PayloadTooLarge Kind = "payload_too_large"
)

// Kinds lists every kind, most severe first.
var Kinds = []Kind{MissingRequired, TypeMismatch, InvalidJSON, PayloadTooLarge, UnknownEnumValue, UnknownEvent, ConstraintViolation, MissingExpected, DuplicateKey, UnknownProperty}

// Severity says how much a finding matters; a finding's follows from its
// kind.
type Severity string

const (
	Breaking Severity = "breaking"
	Warning  Severity = "warning"
	Info     Severity = "info"
)

// Severities lists the severities, most severe first.
var Severities = []Severity{Breaking, Warning, Info}

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

// Rank orders severities: higher is worse; 0 for a value that is none
// ("" included).
func (s Severity) Rank() int {
	for i, name := range Severities {
		if s == name {
			return len(Severities) - i
		}
	}
	return 0
}

// AtLeast reports whether s is as severe as min or more.
func (s Severity) AtLeast(min Severity) bool { return s.Rank() >= min.Rank() }

// ParseSeverity reads a severity written as the contract names it (a
// -fail-on flag, say).
func ParseSeverity(s string) (Severity, error) {
	if sev := Severity(s); sev.Rank() > 0 {
		return sev, nil
	}
	return "", fmt.Errorf("unknown severity %q (want %s)", s, SeverityChoices())
}

// SeverityChoices names the severities, most severe first, as a choice
// among them: "breaking, warning or info".
func SeverityChoices() string {
	names := make([]string, len(Severities))
	for i, sev := range Severities {
		names[i] = string(sev)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Tally words how many findings there are of each severity, most severe
// first: "breaking 1, warning 0, info 2".
func Tally(counts map[Severity]int) string {
	var b strings.Builder
	for i, sev := range Severities {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", sev, counts[sev])
	}
	return b.String()
}

// Finding is one difference between a payload and its schema.
type Finding struct {
	Pointer  string   `json:"pointer"`
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Line is where the pointed-at value starts in the source, from 1: the
	// record's line for NDJSON. Reporters use it for file:line positions;
	// it is not part of the JSON report.
	Line int `json:"-"`
}
