package jsonscan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSkipValue(t *testing.T) {
	cases := []struct {
		in   string
		end  int // index just past the first value
		fail string
	}{
		{in: `"a\"b" ,`, end: 6},
		{in: `{"a":[1,"]",{"b":"}"}]} x`, end: 23},
		{in: `12.5e3,`, end: 6},
		{in: `true]`, end: 4},
		{in: `{"a":1`, fail: "unexpected end of JSON input"},
		{in: `"abc`, fail: "unexpected end of JSON input"},
		{in: `,`, fail: `invalid character ',' looking for a value`},
		{in: ``, fail: "unexpected end of JSON input"},
	}
	for _, tc := range cases {
		end, err := SkipValue([]byte(tc.in), 0)
		if tc.fail != "" {
			assert.EqualError(t, err, tc.fail, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.end, end, tc.in)
	}
}

// The limit is encoding/json's: what it decodes, SkipValue skips, and one
// level more is refused with a message instead of a deep recursion.
func TestSkipValueDepthIsEncodingJSONs(t *testing.T) {
	atLimit := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	var v any
	require.NoError(t, json.Unmarshal([]byte(atLimit), &v))
	end, err := SkipValue([]byte(atLimit), 0)
	require.NoError(t, err)
	assert.Equal(t, len(atLimit), end)

	over := "[" + atLimit + "]"
	require.Error(t, json.Unmarshal([]byte(over), &v))
	_, err = SkipValue([]byte(over), 0)
	assert.EqualError(t, err, "nesting deeper than 10000")
}

func TestSkipSpace(t *testing.T) {
	assert.Equal(t, 4, SkipSpace([]byte(" \t\r\nx"), 0))
	assert.Equal(t, 2, SkipSpace([]byte("  "), 0))
	// Indentation of every width, passed a word at a time, ending in a
	// value, in another kind of space, or at the end.
	for n := range 20 {
		for _, end := range []string{`"x"`, "\t ", ""} {
			data := []byte("\n" + strings.Repeat(" ", n) + end + "   ")
			assert.Equal(t, skipSpaceByByte(data, 0), SkipSpace(data, 0), "%q", data)
		}
	}
}

// FuzzSkipSpace: SkipSpace stops where a byte-by-byte walk does.
func FuzzSkipSpace(f *testing.F) {
	for _, s := range []string{"\n        \"a\"", "\n  \t  \n    x", "         ", "\r\n\t{"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i := range len(data) + 1 {
			require.Equal(t, skipSpaceByByte(data, i), SkipSpace(data, i), "%q at %d", data, i)
		}
	})
}

func skipSpaceByByte(data []byte, i int) int {
	for i < len(data) && strings.IndexByte(" \t\r\n", data[i]) >= 0 {
		i++
	}
	return i
}

func TestString(t *testing.T) {
	cases := []struct {
		in      string
		end     int
		escaped bool
		fail    string
	}{
		{in: `"plain" x`, end: 7},
		{in: `"a\"b\\c\/\n\u00e9"`, end: 19, escaped: true},
		{in: "\"tab\there\"", fail: `control character '\t' in a string at offset 4`},
		{in: `"bad \x"`, fail: `invalid escape 'x' at offset 5`},
		{in: `"bad \u12g4"`, fail: `invalid \u escape at offset 5`},
		{in: `"open`, fail: "unexpected end of JSON input"},
		{in: `"ends in \`, fail: "unexpected end of JSON input"},
	}
	for _, tc := range cases {
		end, escaped, err := String([]byte(tc.in), 0)
		if tc.fail != "" {
			assert.EqualError(t, err, tc.fail, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.end, end, tc.in)
		assert.Equal(t, tc.escaped, escaped, tc.in)
		// Where String accepts, encoding/json reads the same string.
		var s string
		assert.NoError(t, json.Unmarshal([]byte(tc.in[:end]), &s), tc.in)
	}
}

// Name reads a property name as encoding/json does, so a pointer built
// from a decoded map matches the name in the bytes.
func TestNameIsEncodingJSONs(t *testing.T) {
	for _, quoted := range []string{`"plain"`, `"a\u00e9b"`, `"a\/b"`, "\"\xff\xfe\"", `"\ud800"`} {
		var want map[string]int
		require.NoError(t, json.Unmarshal([]byte("{"+quoted+":1}"), &want), quoted)
		key := []byte(quoted[1 : len(quoted)-1])
		got := Name(key, strings.Contains(quoted, `\`))
		_, ok := want[string(got)]
		assert.True(t, ok, "%s read as %q", quoted, got)
	}
}

// Number accepts exactly what encoding/json takes for a number.
func TestNumberIsEncodingJSONs(t *testing.T) {
	for _, s := range []string{"0", "-0", "12", "-12.50", "1e3", "1E+3", "1.5e-07", "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10", "--1", "1.2.3", "NaN", "1_000"} {
		var n json.Number
		want := json.Unmarshal([]byte(s), &n) == nil
		end, err := Number(s, 0)
		assert.Equal(t, want, err == nil && end == len(s), s)
	}
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-12.5e3", "01", "1.", "1e+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n json.Number
		want := json.Unmarshal([]byte(s), &n) == nil && n.String() == s
		end, err := Number(s, 0)
		require.Equal(t, want, err == nil && end == len(s), "%q", s)
	})
}

// FuzzString: String accepts a quoted string exactly when encoding/json
// does, and ends it where encoding/json's string token ends.
func FuzzString(f *testing.F) {
	for _, s := range []string{`"abc"`, `"a\"b"`, "\"01234567\x01\"", `"0123456789abcdef\\"`, `"é\u00e9"`, `"unterminated`, "\"\x7f\x80\xff\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) == 0 || s[0] != '"' {
			return
		}
		end, _, err := String([]byte(s), 0)
		var v string
		if err == nil {
			require.NoError(t, json.Unmarshal([]byte(s[:end]), &v), "%q", s)
		}
		if json.Unmarshal([]byte(s), &v) == nil {
			require.NoError(t, err, "%q", s)
			require.Equal(t, len(strings.TrimRight(s, " \t\r\n")), end, "%q", s)
		}
	})
}

// FuzzSkipValid: SkipValid accepts a document (a value and whitespace)
// exactly when json.Valid does.
func FuzzSkipValid(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x",true,null,{}]}`, `[1,]`, `{"a" 1}`, `01`, `[tru]`, `{"a":1}}`, ` "x" `, "\"\t\"", `[[[[]]]]`, `{"\u00e9":-0.0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ok := false
		start := SkipSpace(data, 0)
		if end, err := SkipValid(data, start); err == nil {
			ok = SkipSpace(data, end) == len(data)
		}
		require.Equal(t, json.Valid(data), ok, "%q", data)
	})
}

// FuzzPlainASCII: PlainASCII takes a string exactly when String does and
// finds only printable ASCII in it, ends it at the same place, and only
// when its bytes are its value.
func FuzzPlainASCII(f *testing.F) {
	for _, s := range []string{`"abc"`, `"a\"b"`, `"0123456789abcdef"`, "\"é\"", "\"tab\t\"", `"open`, "\"0123456\xa2\"", "\"01234567\xdc\"x\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) == 0 || s[0] != '"' {
			return
		}
		end, ok := PlainASCII([]byte(s), 0)
		if send, escaped, err := String([]byte(s), 0); err == nil && !escaped && printableASCII(s[1:send-1]) {
			require.True(t, ok, "%q is plain", s)
		}
		if !ok {
			return
		}
		send, escaped, err := String([]byte(s), 0)
		require.NoError(t, err, "%q", s)
		require.Equal(t, send, end, "%q", s)
		require.False(t, escaped, "%q", s)
		var v string
		require.NoError(t, json.Unmarshal([]byte(s[:end]), &v))
		require.Equal(t, s[1:end-1], v, "%q", s)
	})
}

func TestEachItem(t *testing.T) {
	data := []byte(` [1, "a,b", {"x": [2]} , [] ]`)
	var items []string
	require.NoError(t, EachItem(data, func(s, e int) bool {
		items = append(items, string(data[s:e]))
		return true
	}))
	assert.Equal(t, []string{"1", `"a,b"`, `{"x": [2]}`, "[]"}, items)
	n := 0
	require.NoError(t, EachItem(data, func(int, int) bool { n++; return false }), "stops early")
	assert.Equal(t, 1, n)
	require.NoError(t, EachItem([]byte("[ ]"), func(int, int) bool { t.Fatal("no items"); return true }))
	for _, bad := range []string{`{}`, `[1 2]`, `[1,`, `[`} {
		assert.Error(t, EachItem([]byte(bad), func(int, int) bool { return true }), bad)
	}
}

// Pointers go through arrays too, by RFC 6901 indexes.
func TestLookupThroughArrays(t *testing.T) {
	data := []byte(`{"a": [{"b": 1}, {"b": [true, "x"]}], "0": {"1": 2}}`)
	for ptr, want := range map[string]string{
		"/a/0/b": "1", "/a/1/b/1": `"x"`, "/a/1": `{"b": [true, "x"]}`, "/0/1": "2",
	} {
		s, e, err := Lookup(data, ptr)
		require.NoError(t, err, ptr)
		assert.Equal(t, want, string(data[s:e]), ptr)
	}
	for _, ptr := range []string{"/a/2", "/a/-1", "/a/01", "/a/x", "/a/0/c", "/a/1/b/2"} {
		_, _, err := Lookup(data, ptr)
		assert.Error(t, err, ptr)
	}
}

// LastMember guesses from the end; on valid JSON its guess is what Lookup
// finds (the last of repeated names), and anything it cannot read plainly
// is no guess.
func TestLastMember(t *testing.T) {
	for _, c := range []struct {
		doc, want string // want is the value's text, "" for no guess
	}{
		{`{"data": {"type": "inner"}, "type": "outer"}`, `"outer"`},
		{"{\"type\":\"a\",\"type\" :\t\"b\"\n}\n", `"b"`},
		{`{"type": "only"}`, `"only"`},
		{`{"type": "a", "data": {}}`, ""},      // not last
		{`{"data": {"type": "inner"}}`, ""},    // not at the top level
		{`{"x": "a\", \"type\": \"evil"}`, ""}, // a string that looks like members
		{`{"type": "x\"y"}`, ""},               // an escaped quote in the value
		{`{"typ\u0065": "x"}`, ""},             // an escaped name
		{`{"other": "x"}`, ""},                 // another name
		{`["type", "x"]`, ""},                  // not an object
		{`{"type": 5}`, ""},                    // not a string
		{`"type": "x"}`, ""},                   // no object before it
		{`{"a": ["type": "x"}`, ""},            // invalid, and caught by the comma check
		{``, ""},
	} {
		start, end, ok := LastMember([]byte(c.doc), "type")
		if c.want == "" {
			assert.False(t, ok, "%s", c.doc)
			continue
		}
		require.True(t, ok, "%s", c.doc)
		assert.Equal(t, c.want, c.doc[start:end], "%s", c.doc)
	}
}

func printableASCII(s string) bool {
	for _, c := range []byte(s) {
		if c < 0x20 || c >= 0x80 {
			return false
		}
	}
	return true
}

// FuzzLastMember: on valid JSON, a guess is the range Lookup finds.
func FuzzLastMember(f *testing.F) {
	for _, s := range []string{`{"data": {"type": "inner"}, "type": "outer"}`, `{"type":"a","type":"b"}`, `{"x": "a\", \"type\": \"evil"}`, `{"a": {"type": "b"}}`, `{"type": "x\\"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start, end, ok := LastMember(data, "type")
		if !ok || !json.Valid(data) {
			return
		}
		wantStart, wantEnd, err := Lookup(data, "/type")
		require.NoError(t, err, "%q", data)
		assert.Equal(t, [2]int{wantStart, wantEnd}, [2]int{start, end}, "%q", data)
	})
}
