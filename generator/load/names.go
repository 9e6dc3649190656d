package load

import (
	"go/build"
	"io"
	"strings"
	"unicode"

	"github.com/payhooks/payhooks/internal/catalog"
)

// initialisms are written in capitals inside Go names, as Go's own style
// and golint have it, plus the ones payment payloads use.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CO2": true, "CPU": true, "CSS": true, "DNS": true,
	"E164": true, "EAN": true, "EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true,
	"ID": true, "IP": true, "JSON": true, "OTP": true, "QR": true, "RFC": true, "RFC3339": true, "RPC": true,
	"SKU": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true, "TLS": true,
	"TTL": true, "UDP": true, "UI": true, "UID": true, "URI": true, "URL": true, "UTF8": true,
	"UUID": true, "VAT": true, "XML": true, "3DS": true,
}

// GoName turns a wire name into an exported Go identifier:
// checkout_id → CheckoutID, order-id → OrderID, redirectUrl → RedirectURL,
// co2Grams → CO2Grams, notification_phone_number_e164 →
// NotificationPhoneNumberE164, payin_ids → PayinIDs. A name that would
// not start with an upper-case letter (9lives, 名前) gets an X in front.
func GoName(wire string) string {
	var b strings.Builder
	for _, w := range words(wire) {
		up := strings.ToUpper(w)
		switch {
		case initialisms[up]:
			b.WriteString(up)
		case strings.HasSuffix(up, "S") && initialisms[up[:len(up)-1]]:
			b.WriteString(up[:len(up)-1] + "s")
		default:
			r := []rune(w)
			b.WriteString(string(unicode.ToUpper(r[0])) + string(r[1:]))
		}
	}
	name := b.String()
	if name == "" {
		return "X"
	}
	// Go exports a name that starts with an upper-case letter: a digit, or
	// a letter without case (名前), gets an X in front.
	if r := []rune(name)[0]; !unicode.IsUpper(r) {
		name = "X" + name
	}
	return name
}

// words splits a wire name at punctuation and camelCase boundaries; digits
// stay with the letters before them (co2Grams → co2, Grams).
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			// fooBar → foo|Bar; HTTPServer → HTTP|Server; but EAN stays whole.
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	// Normalise an all-upper word (CHECKOUT_COMPLETED → Checkout,
	// Completed), except a short code such as a Rapyd status (CLO) or a
	// currency (USD), which stays as it is.
	for i, w := range out {
		if strings.ToUpper(w) == w && !initialisms[w] && len(w) > 3 {
			out[i] = strings.ToLower(w)
		}
	}
	return out
}

// goFile is the generated file for a schema or an event name: its
// SnakeName with ".go", unless Go would leave a file of that name out of
// some builds (ping_test.go is a test; payment_windows.go, order_js.go and
// notify_386.go build on one platform) or a file system refuses it
// (con.go): then "_gen" goes before ".go". A name with nothing to keep
// (~, ..) is "x".
func goFile(name string) string {
	s := SnakeName(name)
	if s == "" {
		s = "x"
	}
	if buildsEverywhere(s + ".go") {
		return s + ".go"
	}
	return s + "_gen.go"
}

// buildsEverywhere reports whether Go builds a non-test file of this name on
// every platform: go/build matches it for two platforms that share neither
// operating system nor architecture, which no file-name constraint allows.
func buildsEverywhere(file string) bool {
	if strings.HasSuffix(file, "_test.go") || catalog.PortableName(file) != nil {
		return false
	}
	for _, platform := range [][2]string{{"linux", "amd64"}, {"windows", "arm64"}} {
		ctx := build.Context{GOOS: platform[0], GOARCH: platform[1], Compiler: "gc",
			OpenFile: func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("package p\n")), nil }}
		if ok, err := ctx.MatchFile(".", file); err != nil || !ok {
			return false
		}
	}
	return true
}
