package validate

import (
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
)

// dateTime accepts yyyy-mm-ddThh:mm:ss[.frac](Z|±hh:mm) with a real
// calendar date, exactly as the engine's date-time check does (leap seconds
// at 23:59 UTC, and the quirks of its number parsing included:
// FuzzFastFormats checks they agree), so that the fast engine's verdict on
// a date-time is the engine's.
func dateTime(v []byte) bool {
	if len(v) < 20 || v[4] != '-' || v[7] != '-' || (v[10] != 'T' && v[10] != 't') || v[13] != ':' || v[16] != ':' {
		return false
	}
	year, ok1 := digits(v[0:4])
	month, ok2 := digits(v[5:7])
	day, ok3 := digits(v[8:10])
	hour, ok4 := field(v[11:13], 23)
	minute, ok5 := field(v[14:16], 59)
	sec, ok6 := field(v[17:19], 60)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > lossless.DaysIn(year, month) {
		return false
	}
	rest := v[19:]
	if rest[0] == '.' {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 {
			return false
		}
		rest = rest[j:]
	}
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		zh, ok1 := field(rest[1:3], 23)
		zm, ok2 := field(rest[4:6], 59)
		if !ok1 || !ok2 {
			return false
		}
		sign := 1 // local time minus the offset is UTC
		if rest[0] == '+' {
			sign = -1
		}
		hm := hour*60 + minute + sign*(zh*60+zm)
		if hm < 0 {
			hm += 24 * 60
		}
		hour, minute = hm/60, hm%60
	default:
		return false
	}
	return sec < 60 || hour == 23 && minute == 59 // a leap second ends a UTC day
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// field reads a two-character time field as the engine does (strconv.Atoi,
// so "+5" is 5 and "-0" is 0) and checks it is within 0 and max.
func field(b []byte, max int) (int, bool) {
	n, ok := digits(b)
	if !ok && (b[0] == '+' || b[0] == '-') {
		n, ok = digits(b[1:])
		if b[0] == '-' {
			n = -n
		}
	}
	return n, ok && n >= 0 && n <= max
}

// uuid accepts 8-4-4-4-12 hexadecimal digits, as the engine does.
func uuid(v []byte) bool {
	if len(v) != 36 {
		return false
	}
	for i, c := range v {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !jsonscan.IsHex(c) {
				return false
			}
		}
	}
	return true
}

// localDateTime accepts a "2006-01-02 15:04:05" date and time that exists,
// as lossless.DateTime reads it for the generated types, never one
// time.Parse refuses (it also takes a fraction after the seconds, which
// goes to the reference engine).
func localDateTime(v []byte) bool {
	_, ok := lossless.DateTime(v)
	return ok
}

// goTimeHolds reports whether v is a date-time the engine accepts that
// time.Time holds too, written plainly (no leap second, no signed field):
// the fast engine judges only those, and hands the rest to the reference
// engine, which says what the generated type cannot hold (holds.go).
func goTimeHolds(v []byte) bool { return dateTime(v) && lossless.IsPlainTime(v) }
