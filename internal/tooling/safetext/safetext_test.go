package safetext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain /data/id_1 é 名前": "plain /data/id_1 é 名前",
		`a\b`:                   `a\b`,
		"x\n::error file=pwned.go,line=1::INJECTED": `x\n::error file=pwned.go,line=1::INJECTED`,
		"\x1b[31mred":    `\x1b[31mred`,
		"tab\there\r":    `tab\there\r`,
		"bidi\u202eevil": `bidi\u202eevil`,
		"nul\x00 and \\": `nul\x00 and \\`,
		"bad\xffutf8":    `bad\xffutf8`,
		"line\u2028sep":  `line\u2028sep`,
	} {
		assert.Equal(t, want, Escape(in), "%q", in)
	}
}

// FuzzEscape: whatever goes in, nothing that reaches a terminal can start a
// line or an escape sequence.
func FuzzEscape(f *testing.F) {
	f.Add("x\n::error::y\x1b[31m")
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		for _, r := range out {
			assert.False(t, unsafeRune(r), "%q escaped to %q", s, out)
		}
	})
}

func TestField(t *testing.T) {
	assert.Equal(t, "-", Field(""), "an empty field keeps its place")
	assert.Equal(t, "evt_1", Field("evt_1"))
	assert.Equal(t, `a\nb`, Field("a\nb"))
	assert.Equal(t, Field("a\nb"), Escape(Field("a\nb")), "escaping again changes nothing")
}
