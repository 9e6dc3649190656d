package validate

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLineOf(t *testing.T) {
	doc := []byte("{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [\n      true,\n      {\"d~/\": null}\n    ]\n  },\n  \"e\": []\n}\n")
	cases := map[string]int{
		"":             1,
		"/a":           2,
		"/b":           3,
		"/b/c":         4,
		"/b/c/0":       5,
		"/b/c/1":       6,
		"/b/c/1/d~0~1": 6,
		"/b/x":         3, // missing: where its object starts
		"/e":           9,
		"/e/0":         9,
		"/zzz":         1,
	}
	for ptr, want := range cases {
		assert.Equal(t, want, LineOf(doc, ptr), ptr)
	}
}

func TestDuplicateKey(t *testing.T) {
	for doc, want := range map[string]string{
		`{"a": 1, "b": 2}`:                    "",
		`{"a": 1, "a": 2}`:                    "/a",
		`{"x": [{"k": 1}, {"k": 1, "k": 2}]}`: "/x/1/k",
		`{"a\u0062": 1, "ab": 2}`:             "/ab",
		`[{"a":1},{"a":1}]`:                   "",
	} {
		got, dup := duplicateKey([]byte(doc))
		assert.Equal(t, want != "", dup, doc)
		assert.Equal(t, want, got, doc)
	}
}

func TestDuplicateKeyInAHugeObject(t *testing.T) {
	var b []byte
	b = append(b, '{')
	for i := 0; i < 200000; i++ {
		b = append(b, fmt.Sprintf(`"k%d":1,`, i)...)
	}
	b = append(b, `"k199999":2}`...)
	ptr, dup := duplicateKey(b)
	assert.True(t, dup)
	assert.Equal(t, "/k199999", ptr)
}

// Malformed input (the reference engine reports it; the locator may still
// be asked) gives a line, never a panic.
func TestLineOfMalformedInput(t *testing.T) {
	for _, doc := range []string{`{},`, `]`, `}}`, `{"a": [1]},`, `,`, `{"a": 1, "b": 2}],[`} {
		assert.NotPanics(t, func() { LineOf([]byte(doc), "/a/0") }, doc)
	}
}
