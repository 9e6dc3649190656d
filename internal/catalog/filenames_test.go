package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFileBase(t *testing.T) {
	for name, plain := range map[string]bool{
		"CHECKOUT_COMPLETED": true, "payment_attempt.requires_action": true, "balancePlatform.payment.created": true,
		"ping_test": true, "x.linux": true, // fine for a schema file; the Go file is named apart
		"": false, "~": false, ".": false, "..": false, ".hidden": false, "a:b": false, "a/b": false, `a\b`: false,
		"CON": false, "con.paid": false, "Lpt1": false, "a b": false, "x.": true, "é": false, "-x": false,
		strings.Repeat("x", 101): false,
	} {
		base := FileBase(name)
		assert.NoError(t, PortableName(base+".json"), "%q → %q", name, base)
		if plain {
			assert.Equal(t, name, base)
		} else {
			assert.Regexp(t, `^[a-z0-9][a-z0-9_-]*~[0-9a-f]{32}$|^x~[0-9a-f]{32}$`, base, "%q", name)
		}
	}
	assert.Equal(t, "a_b~"+HashedBase("a:b")[4:], FileBase("a:b"))
	assert.NotEqual(t, FileBase("a:b"), FileBase("a/b"), "distinct names, distinct files")
	bases := FileBases([]string{"Paid", "paid", "refunded"})
	assert.NotEqual(t, strings.ToLower(bases["Paid"]), strings.ToLower(bases["paid"]), "no two files one on a case-insensitive file system")
	assert.Equal(t, "refunded", bases["refunded"])
}

func TestPortableName(t *testing.T) {
	for name, want := range map[string]string{
		"CHECKOUT_COMPLETED.json": "",
		"x~0123.json":             "",
		"名前.json":                 "",
		"":                        "an empty name",
		"..":                      `".." names a folder itself`,
		"x.":                      `"x." ends with a dot or a space, which Windows drops`,
		"a:b.json":                `"a:b.json" holds ':', which some file systems or go:embed refuse`,
		"a*.json":                 `"a*.json" holds '*', which some file systems or go:embed refuse`,
		"con.json":                `"con.json" is a device name on Windows`,
		"COM1":                    `"COM1" is a device name on Windows`,
	} {
		err := PortableName(name)
		if want == "" {
			assert.NoError(t, err, name)
		} else {
			assert.EqualError(t, err, want, name)
		}
	}
	assert.Error(t, PortablePath("con/con.json"))
	assert.NoError(t, PortablePath("finmo/events/CHECKOUT_COMPLETED.json"))
}
