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
	"math/big"
	"strconv"

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
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	if r, ok := new(big.Rat).SetString(text); ok && r.IsInt() && r.Num().IsInt64() {
		return r.Num().Int64(), nil
	}
	return 0, fmt.Errorf("expected integer that fits 64 bits, got number %s", text)
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
