// Package safetext makes text that came from a payload or a request safe to
// print on a terminal, in a log line or in a CI annotation: every control
// character (newlines and ESC among them) and every invisible character that
// reorders or hides text is written as a Go escape, so a crafted value can
// neither start a line of its own (a forged log line, a GitHub workflow
// command) nor drive the terminal.
package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character that is not safe to print escaped as
// \n, \x1b, \u202e and the like, and invalid UTF-8 as \xNN. A backslash is
// doubled only when s needs escaping at all, so ordinary text is unchanged
// and escaped text stays unambiguous.
func Escape(s string) string {
	if safe(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case r == '\\':
			b.WriteString(`\\`)
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Field is s as one field of a printed line (an event, a delivery id):
// escaped, and "-" when empty, so the line keeps its fields.
func Field(s string) string {
	if s == "" {
		return "-"
	}
	return Escape(s)
}

func safe(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unsafeRune(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// unsafeRune is a control character, or a format character (the bidi
// overrides U+202A–202E and U+2066–2069, zero-width ones) that a terminal
// or a CI page shows as nothing.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
