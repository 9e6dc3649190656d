package webhook

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
)

// Decimal is a JSON number kept exactly as sent: 1.01 stays 1.01 and 195
// stays 195, never passing through float64. Money in major units (Finmo
// amounts, Rapyd amounts, Augustus prices) decodes into it. The zero value
// is 0.
type Decimal struct {
	digits string
}

// ParseDecimal reads a JSON number literal ("1.01", "-3e2").
func ParseDecimal(s string) (Decimal, error) {
	if !lossless.IsNumber(s) {
		return Decimal{}, fmt.Errorf("%q is not a JSON number", s)
	}
	return Decimal{digits: s}, nil
}

// MustDecimal is ParseDecimal for constants in code and tests; it panics on
// a malformed literal.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns the number exactly as it was sent.
func (d Decimal) String() string {
	if d.digits == "" {
		return "0"
	}
	return d.digits
}

// Rat returns the exact value, or nil when its exponent is too large for
// math/big (1e999999999 is valid JSON).
func (d Decimal) Rat() *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		return nil
	}
	return r
}

// Float64 returns the nearest float64, for display and arithmetic that
// tolerates rounding; never for money that must add up.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Int64 returns the value when it is a whole number that fits.
func (d Decimal) Int64() (int64, bool) { return lossless.WholeNumber(d.String()) }

// Equal compares values, so 1.0 equals 1. Numbers too large for math/big
// are equal only when spelled the same.
func (d Decimal) Equal(o Decimal) bool {
	a, b := d.Rat(), o.Rat()
	if a == nil || b == nil {
		return d.String() == o.String()
	}
	return a.Cmp(b) == 0
}

// JSONKind implements JSONKinder.
func (Decimal) JSONKind() string { return "number" }

// MarshalJSON writes the digits as they came.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON accepts a JSON number, and a JSON string holding exactly a
// JSON number ("1099.50"): a provider that starts quoting its amounts has
// drifted (the schema check reports a type mismatch), but nothing is lost
// by reading the digits, so the delivery still decodes. Encoding writes a
// number.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	s, ok := lossless.NumberText(data)
	if !ok {
		return &DecodeError{Err: fmt.Errorf("expected number, got %s", jsonscan.KindOf(data))}
	}
	d.digits = s
	return nil
}
