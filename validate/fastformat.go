package validate

import "github.com/payhooks/payhooks/internal/jsonscan"

// dateTime accepts yyyy-mm-ddThh:mm:ss[.frac](Z|±hh:mm) with a real
// calendar date and no leap second: a subset of what the engine's
// date-time check accepts (FuzzFastFormats checks it), so the fast engine
// never calls clean what the reference would not.
func dateTime(v []byte) bool {
	if len(v) < 20 || v[10] != 'T' && v[10] != 't' || !wallClock(v) {
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
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		zh, ok1 := digits(rest[1:3])
		zm, ok2 := digits(rest[4:6])
		return ok1 && ok2 && zh <= 23 && zm <= 59
	}
	return false
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

func daysIn(year, month int) int {
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
// never one time.Parse refuses (it also takes a fraction after the
// seconds, which goes to the reference engine).
func localDateTime(v []byte) bool {
	return len(v) == 19 && v[10] == ' ' && wallClock(v)
}

// wallClock checks the "2006-01-02?15:04:05" v starts with (any byte
// between date and time; v holds 19 bytes at least): a calendar date that
// exists and a time of day without a leap second.
func wallClock(v []byte) bool {
	if v[4] != '-' || v[7] != '-' || v[13] != ':' || v[16] != ':' {
		return false
	}
	year, ok1 := digits(v[0:4])
	month, ok2 := digits(v[5:7])
	day, ok3 := digits(v[8:10])
	hour, ok4 := digits(v[11:13])
	minute, ok5 := digits(v[14:16])
	sec, ok6 := digits(v[17:19])
	return ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) &&
		hour <= 23 && minute <= 59 && sec <= 59
}
