package webhook

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// UnixSeconds is a timestamp sent as whole seconds since the Unix epoch
// (Rapyd's created_at). 0 means unset, as Rapyd sends it.
type UnixSeconds int64

// Time returns the instant in UTC; the zero time when s is 0.
func (s UnixSeconds) Time() time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s), 0).UTC()
}

// JSONKind implements JSONKinder.
func (UnixSeconds) JSONKind() string { return "integer" }

// UnmarshalJSON accepts an integer, a number with a zero fraction, and
// either one quoted (see wholeNumber).
func (s *UnixSeconds) UnmarshalJSON(data []byte) error {
	n, err := wholeNumber(data)
	*s = UnixSeconds(n)
	return err
}

// UnixMillis is a timestamp sent as milliseconds since the Unix epoch
// (Rapyd's extended_timestamp).
type UnixMillis int64

// Time returns the instant in UTC; the zero time when m is 0.
func (m UnixMillis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// JSONKind implements JSONKinder.
func (UnixMillis) JSONKind() string { return "integer" }

// UnmarshalJSON accepts an integer, a number with a zero fraction, and
// either one quoted (see wholeNumber).
func (m *UnixMillis) UnmarshalJSON(data []byte) error {
	n, err := wholeNumber(data)
	*m = UnixMillis(n)
	return err
}

// wholeNumber reads an integer that fits int64: a JSON integer, a number
// with a zero fraction (6700.0, 6.7e3), or a JSON string holding exactly
// one of those ("6700"), which is drift the schema check reports but loses
// nothing to read.
func wholeNumber(data []byte) (int64, error) {
	// The common case first: a plain JSON integer (the body was checked as
	// JSON already, so ParseInt sees only valid number tokens here).
	if len(data) > 0 && data[0] != '"' && data[0] != '+' {
		if n, err := strconv.ParseInt(string(data), 10, 64); err == nil {
			return n, nil
		}
	}
	text, ok := numberText(data)
	if !ok {
		return 0, &DecodeError{Err: fmt.Errorf("expected integer, got %s", KindOf(data))}
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	d := Decimal{digits: text}
	if n, ok := d.Int64(); ok {
		return n, nil
	}
	return 0, &DecodeError{Err: fmt.Errorf("expected integer that fits 64 bits, got number %s", text)}
}

// DateTimeLayout is the "2023-12-25 21:59:59" form Tazapay's payin pages
// show: no zone, read as UTC.
const DateTimeLayout = "2006-01-02 15:04:05"

// DateTime is a timestamp sent as "2006-01-02 15:04:05".
type DateTime struct{ time.Time }

// JSONKind implements JSONKinder.
func (DateTime) JSONKind() string { return "string" }

// MarshalJSON writes the same layout back.
func (t DateTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(DateTimeLayout))
}

// UnmarshalJSON reads a string in DateTimeLayout.
func (t *DateTime) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return &DecodeError{Err: fmt.Errorf("expected string, got %s", KindOf(data))}
	}
	parsed, err := time.Parse(DateTimeLayout, s)
	if err != nil {
		return &DecodeError{Err: fmt.Errorf("%q is not a %q date and time", s, DateTimeLayout)}
	}
	t.Time = parsed
	return nil
}
