package webhookimpl

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
)

// decodeAs runs one of the package's decoders on a whole document.
func decodeAs[T any](raw string, decode func(*T, *Decoder) error) (T, error) {
	var v T
	d := NewDecoder([]byte(raw))
	if err := decode(&v, d); err != nil {
		return v, err
	}
	return v, d.End()
}

// members collects an object's members as Member walks them.
func members(data []byte) (map[string]json.RawMessage, error) {
	var out map[string]json.RawMessage
	_, err := decodeAs(string(data), func(_ *struct{}, d *Decoder) error {
		if err := d.Object(); err != nil {
			return err
		}
		out = map[string]json.RawMessage{}
		for d.Member() {
			var raw json.RawMessage
			if err := DecodeRaw(&raw, d); err != nil {
				return err
			}
			out[d.Name()] = raw
		}
		return d.Err()
	})
	return out, err
}

func TestMembersMatchEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`{}`, ` { "a" : 1 , "b":[1,{"c":"}"}], "d\"e": "x\\y", "\u00e9": null } `,
		`{"a": 1, "a": 2}`, `{"nested": {"deep": [[[]]]}, "s": "brace } in string"}`,
	} {
		got, err := members([]byte(doc))
		require.NoError(t, err, doc)
		var want map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(doc), &want))
		assert.Equal(t, len(want), len(got), doc)
		for k, v := range want {
			assert.JSONEq(t, string(v), string(got[k]), "%s: %s", doc, k)
		}
	}
	for doc, want := range map[string]string{
		`[1]`:        "expected object, got array",
		`"x"`:        "expected object, got string",
		`{"a" 1}`:    "expected ':'",
		`{"a": 1`:    "unexpected end",
		`{"a": 1 x}`: `expected ',' or '}'`,
		`{a: 1}`:     "expected a property name",
		`{"a": 1,}`:  "expected a property name",
		`{} {}`:      "after the value",
		``:           "unexpected end",
	} {
		_, err := members([]byte(doc))
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), want, doc)
		var de *webhook.DecodeError
		assert.True(t, errors.As(err, &de), doc)
	}
}

// FuzzMembers: on any input the walk never panics, and on every valid JSON
// object it agrees with encoding/json.
func FuzzMembers(f *testing.F) {
	for _, seed := range []string{"{\"\xbb\":0}", `{"a":1}`, `{"a":{"b":[1,"]"]},"c":"\""}`, `{`, `{"a":`, `[]`, `{"\ud800":1}`, `{"a":1,}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := members(data)
		var want map[string]json.RawMessage
		if json.Unmarshal(data, &want) != nil || jsonscan.KindOf(data) != KindObject {
			return
		}
		require.NoError(t, err, "%q", data)
		require.Equal(t, len(want), len(got), "%q", data)
		for k, v := range want {
			var a, b any
			require.NoError(t, json.Unmarshal(v, &a))
			require.NoError(t, json.Unmarshal(got[k], &b), "%q: %q", data, k)
			require.Equal(t, a, b, "%q: %q", data, k)
		}
	})
}

// Where encoding/json decodes a value, the typed decoders agree; where it
// refuses, they refuse too or absorb lossless drift (tested below).
func TestDecodersAgreeWithEncodingJSON(t *testing.T) {
	type named string
	for _, raw := range []string{`"plain"`, `"esc\"aped"`, `"\u00e9t\u00e9"`, `"caf` + "\u00e9" + `"`, "\"\xff\"", `true`, `false`, `12`, `-7`, `1e3`, `1.5`, `null`, `"x"`, `{}`, `[]`} {
		var s2 string
		s1, e1 := decodeAs(raw, DecodeString[string])
		if json.Unmarshal([]byte(raw), &s2) == nil && raw != `null` {
			assert.NoError(t, e1, "string %s", raw)
			assert.Equal(t, s2, s1, raw)
		}
		var p2 *string
		p1, e1 := decodeAs(raw, func(out **string, d *Decoder) error { return DecodePtr(out, d, DecodeString[string]) })
		if json.Unmarshal([]byte(raw), &p2) == nil {
			assert.NoError(t, e1, "*string %s", raw)
			assert.Equal(t, p2, p1, raw)
		}
		var n2 *int64
		n1, e1 := decodeAs(raw, func(out **int64, d *Decoder) error { return DecodePtr(out, d, DecodeInt64[int64]) })
		if json.Unmarshal([]byte(raw), &n2) == nil {
			assert.NoError(t, e1, "*int64 %s", raw)
			assert.Equal(t, n2, n1, raw)
		}
		var b2 *bool
		b1, e1 := decodeAs(raw, func(out **bool, d *Decoder) error { return DecodePtr(out, d, DecodeBool) })
		if json.Unmarshal([]byte(raw), &b2) == nil {
			assert.NoError(t, e1, "*bool %s", raw)
			assert.Equal(t, b2, b1, raw)
		}
		var m2 *named
		m1, e1 := decodeAs(raw, func(out **named, d *Decoder) error { return DecodePtr(out, d, DecodeString[named]) })
		if json.Unmarshal([]byte(raw), &m2) == nil {
			assert.NoError(t, e1, "*named %s", raw)
			assert.Equal(t, m2, m1, raw)
		}
		var r2 json.RawMessage
		r1, e1 := decodeAs(raw, DecodeRaw)
		if json.Unmarshal([]byte(raw), &r2) == nil {
			assert.NoError(t, e1, "raw %s", raw)
			assert.Equal(t, r2, r1, raw)
		}
	}
}

// Drift that loses nothing decodes: a number where a string is declared
// (its digits as sent), a string holding exactly a number where a number
// is declared, "true"/"false" where a boolean is. Anything else is still a
// DecodeError.
func TestDecodersAbsorbLosslessDrift(t *testing.T) {
	type named string
	str := func(raw string) (any, error) { return decodeAs(raw, DecodeString[string]) }
	enum := func(raw string) (any, error) {
		return decodeAs(raw, func(out **named, d *Decoder) error { return DecodePtr(out, d, DecodeString[named]) })
	}
	i64 := func(raw string) (any, error) { return decodeAs(raw, DecodeInt64[int64]) }
	b := func(raw string) (any, error) {
		return decodeAs(raw, func(out **bool, d *Decoder) error { return DecodePtr(out, d, DecodeBool) })
	}
	dec := func(raw string) (any, error) { v, err := decodeAs(raw, DecodeDecimal); return v.String(), err }
	secs := func(raw string) (any, error) {
		v, err := decodeAs(raw, DecodeInt64[webhook.UnixSeconds])
		return int64(v), err
	}
	yes, named7 := true, named("7")
	for _, tc := range []struct {
		decode func(string) (any, error)
		raw    string
		want   any // nil: a DecodeError
	}{
		{str, `5`, "5"}, {str, `1.50`, "1.50"}, {str, `-0.0`, "-0.0"}, {str, `1e3`, "1e3"}, {str, `true`, nil}, {str, `{}`, nil}, {str, `01`, nil},
		{enum, `7`, &named7},
		{i64, `"6700"`, int64(6700)}, {i64, `"6.7e3"`, int64(6700)}, {i64, `6700.0`, int64(6700)}, {i64, `"-3"`, int64(-3)},
		{i64, `"6700.5"`, nil}, {i64, `"99999999999999999999"`, nil}, {i64, `" 6700"`, nil}, {i64, `"0x10"`, nil}, {i64, `"6\u0037"`, nil}, {i64, `""`, nil}, {i64, `012`, nil},
		{b, `"true"`, &yes}, {b, `"True"`, nil}, {b, `"1"`, nil}, {b, `1`, nil},
		{dec, `"1099.50"`, "1099.50"}, {dec, `"1,5"`, nil}, {dec, `"NaN"`, nil}, {dec, `"1e999999999"`, "1e999999999"}, {dec, `1.`, nil},
		{secs, `"1692522784"`, int64(1692522784)}, {secs, `"1692522784.5"`, nil},
	} {
		got, err := tc.decode(tc.raw)
		if tc.want == nil {
			var de *webhook.DecodeError
			assert.ErrorAs(t, err, &de, "%s decodes to %v", tc.raw, got)
			continue
		}
		if assert.NoError(t, err, tc.raw) {
			assert.Equal(t, tc.want, got, tc.raw)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	_, err := decodeAs(`{}`, DecodeString[string])
	assert.EqualError(t, err, "(root): expected string, got object")
	_, err = decodeAs(`null`, DecodeString[string])
	assert.EqualError(t, err, "(root): null where string expected")
	_, err = decodeAs(`"1,5"`, DecodeDecimal)
	assert.EqualError(t, err, "(root): expected number, got string")
	_, err = decodeAs(`null`, decodeByMethod[webhook.DateTime])
	assert.EqualError(t, err, "(root): null where string expected")
	_, err = decodeAs(`[1, 2, "x"]`, func(out *[]int64, d *Decoder) error { return DecodeSlice(out, d, DecodeInt64[int64]) })
	assert.EqualError(t, err, `/2: expected integer, got string`)
	_, err = decodeAs(`{"a/b": 1}`, func(out *map[string]bool, d *Decoder) error { return DecodeMap(out, d, DecodeBool) })
	assert.EqualError(t, err, "/a~1b: expected boolean, got number")
	assert.EqualError(t, At("x", At("y", errors.New("boom"))), "/x/y: boom")
}

// Plain strings are substrings of one copy of the document: a decode of
// many strings allocates for the copy, not for each (8 times the strings
// cost only the slice's few extra growths).
func TestPlainStringsShareOneCopy(t *testing.T) {
	allocs := func(n int) float64 {
		doc := []byte("[" + strings.TrimSuffix(strings.Repeat(`"abcdef",`, n), ",") + "]")
		return testing.AllocsPerRun(50, func() {
			var out []string
			require.NoError(t, DecodeSlice(&out, NewDecoder(doc), DecodeString[string]))
		})
	}
	few, many := allocs(8), allocs(64)
	assert.Less(t, many-few, 6.0, "%v allocations for 8 strings, %v for 64", few, many)
}

func TestNulls(t *testing.T) {
	var n Nulls
	for _, i := range []int{0, 5, 63} {
		assert.False(t, n.Has(i))
		n.Set(i)
		assert.True(t, n.Has(i), i)
	}
	assert.False(t, n.Has(1))
	assert.False(t, n.Has(62))

	var m ManyNulls
	for _, i := range []int{0, 63, 64, 200} {
		assert.False(t, m.Has(i))
		m.Set(i)
		assert.True(t, m.Has(i), i)
	}
	assert.False(t, m.Has(1))
	assert.False(t, m.Has(65))
	assert.False(t, m.Has(1000))
}
