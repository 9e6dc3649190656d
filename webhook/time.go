package webhook

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
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

// wholeNumber is lossless.Integer with its error placed for At.
func wholeNumber(data []byte) (int64, error) {
	n, err := lossless.Integer(data)
	if err != nil {
		return 0, &DecodeError{Err: err}
	}
	return n, nil
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
		return &DecodeError{Err: fmt.Errorf("expected string, got %s", jsonscan.KindOf(data))}
	}
	parsed, err := time.Parse(DateTimeLayout, s)
	if err != nil {
		return &DecodeError{Err: fmt.Errorf("%q is not a %q date and time", s, DateTimeLayout)}
	}
	t.Time = parsed
	return nil
}
