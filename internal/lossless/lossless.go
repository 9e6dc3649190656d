// Package lossless holds the tolerant reader's coercions: the drift a
// provider makes that loses nothing to read (a number sent where a string
// is declared, a quoted number where a number is, "true" where a boolean
// is, 6700.0 where an integer is). The schema check still reports such
// drift; these functions only let the delivery decode. The runtime types
// of package webhook (Decimal, UnixSeconds, UnixMillis) and the decoders of
// package webhookimpl read integers and numbers through them, so those
// rules are written once.
package lossless

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/payhooks/payhooks/internal/jsonscan"
)

// Integer reads an integer that fits int64: a JSON integer, a number with a
// zero fraction (6700.0, 6.7e3), or a JSON string holding exactly one of
// those ("6700").
func Integer(data []byte) (int64, error) {
	// The common case first: a plain JSON integer (the body was checked as
	// JSON already, so ParseInt sees only valid number tokens here).
	if len(data) > 0 && data[0] != '"' && data[0] != '+' {
		if n, err := strconv.ParseInt(string(data), 10, 64); err == nil {
			return n, nil
		}
	}
	text, ok := NumberText(data)
	if !ok {
		return 0, fmt.Errorf("expected integer, got %s", jsonscan.KindOf(data))
	}
	if n, ok := WholeNumber(text); ok {
		return n, nil
	}
	return 0, fmt.Errorf("expected integer that fits 64 bits, got number %s", Shorten(text))
}

// WholeNumber reads a JSON number literal whose value is a whole number
// that fits int64, however it is spelled: 6700, 6700.000, 6.7e3, 67e+2,
// 670000e-2. It reads the digits once, so a number of a million digits
// costs a millisecond, not math/big's seconds.
func WholeNumber(text string) (int64, bool) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, true // the common case
	}
	sign := ""
	if strings.HasPrefix(text, "-") {
		sign, text = "-", text[1:]
	}
	mantissa, exponent, _ := strings.Cut(strings.ToLower(text), "e")
	whole, fraction, _ := strings.Cut(mantissa, ".")
	// The value is digits × 10^scale, digits without leading or trailing
	// zeros.
	digits := strings.TrimLeft(whole+fraction, "0")
	if digits == "" {
		return 0, true // a zero, whatever its exponent
	}
	trimmed := strings.TrimRight(digits, "0")
	scale := int64(len(digits)-len(trimmed)) - int64(len(fraction)) + exponentValue(exponent)
	digits = trimmed
	if scale < 0 || int64(len(digits))+scale > 19 {
		return 0, false // a fraction, or more digits than int64 holds
	}
	n, err := strconv.ParseInt(sign+digits+strings.Repeat("0", int(scale)), 10, 64)
	return n, err == nil
}

// exponentValue reads a JSON number's exponent ("+12", "-3", "" for none),
// saturating far beyond any scale that matters, so no exponent overflows.
func exponentValue(e string) int64 {
	negative := strings.HasPrefix(e, "-")
	e = strings.TrimLeft(strings.TrimLeft(e, "+-"), "0")
	const saturated = 1 << 40
	if len(e) > 12 {
		e = strconv.FormatInt(saturated, 10)
	}
	n, _ := strconv.ParseInt(e, 10, 64)
	n = min(n, saturated)
	if negative {
		return -n
	}
	return n
}

// Shorten cuts a long number or string to 40 bytes for a message.
func Shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// NumberText returns the digits of a JSON number, or of a JSON string that
// holds exactly a JSON number (no spaces, no escapes), as sent.
func NumberText(data []byte) (string, bool) {
	s := string(data)
	if IsNumber(s) {
		return s, true
	}
	if q, ok := PlainString(data); ok && IsNumber(q) {
		return q, true
	}
	return "", false
}

// IsNumber reports whether s is exactly one JSON number.
func IsNumber(s string) bool {
	end, err := jsonscan.Number(s, 0)
	return err == nil && end == len(s) && end > 0
}

// PlainString reads a JSON string with no escapes and valid UTF-8, the
// common case, without allocating more than the result.
func PlainString(raw []byte) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if end, ok := jsonscan.PlainASCII(raw, 0); ok && end == len(raw) {
		return string(raw[1 : end-1]), true
	}
	return "", false
}

// ReadsAs reports whether the tolerant reader reads data, one JSON value,
// into a field of JSON Schema type typ without loss: a quoted number as an
// integer or number, "true" or "false" as a boolean, a number as a string
// (its digits as sent). What it reads so is drift to report, never a
// reason to change the field's Go type.
func ReadsAs(data []byte, typ string) bool {
	data = bytes.TrimSpace(data)
	switch typ {
	case "integer":
		_, err := Integer(data)
		return err == nil
	case "number":
		_, ok := NumberText(data)
		return ok
	case "boolean":
		switch string(data) {
		case "true", "false", `"true"`, `"false"`:
			return true
		}
	case "string":
		return len(data) > 0 && data[0] == '"' || IsNumber(string(data))
	}
	return false
}

// Time reads an RFC 3339 date-time (the bytes between the quotes) as
// time.Time reads one from JSON, and also with a lower-case "t" or "z",
// which RFC 3339 allows and Go's parser does not: the same instant. What
// time.Time cannot hold (a leap second, ":60") is an error.
func Time(text []byte) (time.Time, error) {
	sent := text
	lowerT := len(text) > 10 && text[10] == 't'
	lowerZ := len(text) > 0 && text[len(text)-1] == 'z'
	if lowerT || lowerZ {
		text = bytes.Clone(text)
		if lowerT {
			text[10] = 'T'
		}
		if lowerZ {
			text[len(text)-1] = 'Z'
		}
	}
	var t time.Time
	if err := t.UnmarshalText(text); err != nil {
		reason := err.Error()
		if i := strings.LastIndex(reason, ": "); i >= 0 {
			reason = reason[i+2:]
		}
		return time.Time{}, fmt.Errorf("expected RFC 3339 date-time, got string %q (%s)", Shorten(string(sent)), reason)
	}
	return t, nil
}
