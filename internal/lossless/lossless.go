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
	"math"
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
// time.Time cannot hold (a leap second, ":60") is an error, worded only
// when it is read: a union tries a string as a time before other variants.
func Time(text []byte) (time.Time, error) {
	if t, ok := plainTime(text); ok {
		return t, nil
	}
	// time.Time's parser reads the date's ten bytes, then a T: without
	// one, it would only refuse.
	if len(text) > 10 && (text[10] == 'T' || text[10] == 't') {
		if t, err := goTime(text); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &timeError{sent: string(text)}
}

// goTime is time.Time's UnmarshalText of text, its lower-case "t" and "z"
// made upper-case first.
func goTime(text []byte) (time.Time, error) {
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
	err := t.UnmarshalText(text)
	return t, err
}

// timeError is a string Time refuses, worded as time.Time words why.
type timeError struct{ sent string }

func (e *timeError) Error() string {
	reason := "not RFC 3339"
	if _, err := goTime([]byte(e.sent)); err != nil {
		reason = err.Error()
		if i := strings.LastIndex(reason, ": "); i >= 0 {
			reason = reason[i+2:]
		}
	}
	return fmt.Sprintf("expected RFC 3339 date-time, got string %q (%s)", Shorten(e.sent), reason)
}

// plainTime reads the date-times deliveries send, yyyy-mm-ddThh:mm:ss,
// with up to nine digits of fraction, then Z or ±hh:mm, and gives the very
// time.Time UnmarshalText does (the same instant, location and monotonic
// bits) without its general parser; ok is false for anything else
// (another spelling, a field out of range, a leap second), which Time
// hands to time.Time.
func plainTime(b []byte) (time.Time, bool) {
	unix, nsec, offset, ok := plainClock(b)
	switch {
	case !ok:
		return time.Time{}, false
	case offset == noOffset:
		return time.Unix(unix, int64(nsec)).UTC(), true
	}
	t := time.Unix(unix-int64(offset), int64(nsec))
	// As time.Parse: the local zone when it has this offset then,
	// else an unnamed fixed zone (which time shares for whole hours).
	if _, local := t.Zone(); local == offset {
		return t.In(time.Local), true // as time.Time stores it
	}
	return t.In(time.FixedZone("", offset)), true
}

// IsPlainTime says whether Time reads b (a JSON string's text) without
// time.Time's parser, into the very time.Time that parser gives: a
// date-time the generated types hold, checked without building it.
func IsPlainTime(b []byte) bool {
	_, _, _, ok := plainClock(b)
	return ok
}

// noOffset is plainClock's offset for a time in UTC ("Z").
const noOffset = math.MinInt

// plainClock reads what plainTime does: the wall clock in seconds since
// the Unix epoch, the fraction in nanoseconds and the zone's offset in
// seconds (noOffset for "Z").
func plainClock(b []byte) (unix int64, nsec, offset int, ok bool) {
	if len(b) < 20 || b[10] != 'T' && b[10] != 't' {
		return 0, 0, 0, false
	}
	if unix, ok = wallClock(b); !ok {
		return 0, 0, 0, false
	}
	rest := b[19:]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			nsec = nsec*10 + int(rest[n]-'0')
			n++
		}
		if n == 1 || n > 10 {
			return 0, 0, 0, false
		}
		for range 10 - n {
			nsec *= 10
		}
		rest = rest[n:]
	}
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
		return unix, nsec, noOffset, true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		zh, ok1 := twoDigits(rest[1:3])
		zm, ok2 := twoDigits(rest[4:6])
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return 0, 0, 0, false
		}
		offset = (zh*60 + zm) * 60
		if rest[0] == '-' {
			offset = -offset
		}
		return unix, nsec, offset, true
	}
	return 0, 0, 0, false
}

// DateTime reads "2006-01-02 15:04:05" (webhook.DateTimeLayout, in UTC) as
// time.Parse does, when b is exactly that: ok is false for anything else,
// which time.Parse reads (it takes a fraction after the seconds too).
func DateTime(b []byte) (time.Time, bool) {
	if len(b) != 19 || b[10] != ' ' {
		return time.Time{}, false
	}
	unix, ok := wallClock(b)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(unix, 0).UTC(), true
}

// wallClock reads the "2006-01-02?15:04:05" b starts with (19 bytes at
// least; the byte between date and time is the caller's to check) as
// seconds since the Unix epoch, when it is a date that exists and a time of
// day without a leap second: the one reading of an RFC 3339 wall clock,
// for Time and DateTime, and through IsPlainTime and DateTime for the drift
// check's formats.
func wallClock(b []byte) (int64, bool) {
	if b[4] != '-' || b[7] != '-' || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	year, ok1 := fourDigits(b[0:4])
	month, ok2 := twoDigits(b[5:7])
	day, ok3 := twoDigits(b[8:10])
	hour, ok4 := twoDigits(b[11:13])
	minute, ok5 := twoDigits(b[14:16])
	sec, ok6 := twoDigits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > DaysIn(year, month) ||
		hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	return (daysSinceEpoch(year, month, day)*24+int64(hour))*3600 + int64(minute)*60 + int64(sec), true
}

func twoDigits(b []byte) (int, bool) {
	d0, d1 := int(b[0])-'0', int(b[1])-'0'
	return d0*10 + d1, uint(d0) <= 9 && uint(d1) <= 9
}

func fourDigits(b []byte) (int, bool) {
	hi, ok1 := twoDigits(b[0:2])
	lo, ok2 := twoDigits(b[2:4])
	return hi*100 + lo, ok1 && ok2
}

// DaysIn is how many days month (1 to 12) of year has, by the Gregorian
// calendar's leap years.
func DaysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch is the number of days from 1970-01-01 to the date, in the
// proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	m := int64(month)
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
