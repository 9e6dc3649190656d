package webhook

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldsMatchesEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`{}`, ` { "a" : 1 , "b":[1,{"c":"}"}], "d\"e": "x\\y", "\u00e9": null } `,
		`{"a": 1, "a": 2}`, `{"nested": {"deep": [[[]]]}, "s": "brace } in string"}`,
	} {
		got, err := Fields([]byte(doc))
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
		`{"a": 1 x}`: "invalid character 'x'",
		`{a: 1}`:     "expected a property name",
		``:           "expected object, got invalid",
	} {
		_, err := Fields([]byte(doc))
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), want, doc)
		var de *DecodeError
		assert.True(t, errors.As(err, &de))
	}
}

// FuzzFields: on any input the scanner never panics, and on every valid
// JSON object it agrees with encoding/json.
func FuzzFields(f *testing.F) {
	for _, seed := range []string{"{\"\xbb\":0}", `{"a":1}`, `{"a":{"b":[1,"]"]},"c":"\""}`, `{`, `{"a":`, `[]`, `{"\ud800":1}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Fields(data)
		var want map[string]json.RawMessage
		if json.Unmarshal(data, &want) != nil || KindOf(data) != KindObject {
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

func TestDecodeFastPathsAgreeWithEncodingJSON(t *testing.T) {
	type named string
	for _, raw := range []string{`"plain"`, `"esc\"aped"`, `"\u00e9t\u00e9"`, `"caf` + "\u00e9" + `"`, `true`, `false`, `12`, `-7`, `1e3`, `1.5`, `null`, `"x"`, `{}`} {
		// Where encoding/json decodes, Decode agrees; where it refuses,
		// Decode refuses too or absorbs lossless drift (tested below).
		var s1, s2 string
		e1, e2 := Decode([]byte(raw), &s1), json.Unmarshal([]byte(raw), &s2)
		if e2 == nil && raw != `null` {
			assert.NoError(t, e1, "string %s", raw)
			assert.Equal(t, s2, s1, raw)
		}
		var p1, p2 *string
		e1, e2 = Decode([]byte(raw), &p1), json.Unmarshal([]byte(raw), &p2)
		if e2 == nil {
			assert.NoError(t, e1, "*string %s", raw)
			assert.Equal(t, p2, p1, raw)
		}
		var n1, n2 *int64
		e1, e2 = Decode([]byte(raw), &n1), json.Unmarshal([]byte(raw), &n2)
		if e2 == nil {
			assert.NoError(t, e1, "*int64 %s", raw)
			assert.Equal(t, n2, n1, raw)
		}
		var b1, b2 *bool
		e1, e2 = Decode([]byte(raw), &b1), json.Unmarshal([]byte(raw), &b2)
		if e2 == nil {
			assert.NoError(t, e1, "*bool %s", raw)
			assert.Equal(t, b2, b1, raw)
		}
		var m1, m2 *named
		e1, e2 = Decode([]byte(raw), &m1), json.Unmarshal([]byte(raw), &m2)
		if e2 == nil {
			assert.NoError(t, e1, "*named %s", raw)
			assert.Equal(t, m2, m1, raw)
		}
	}
}

// Drift that loses nothing decodes: a number where a string is declared
// (its digits as sent), a string holding exactly a number where a number
// is declared, "true"/"false" where a boolean is. Anything else is still a
// DecodeError.
func TestDecodeAbsorbsLosslessDrift(t *testing.T) {
	type named string
	str := func(raw string) (any, error) { var v string; err := Decode([]byte(raw), &v); return v, err }
	enum := func(raw string) (any, error) { var v *named; err := Decode([]byte(raw), &v); return v, err }
	i64 := func(raw string) (any, error) { var v int64; err := Decode([]byte(raw), &v); return v, err }
	b := func(raw string) (any, error) { var v *bool; err := Decode([]byte(raw), &v); return v, err }
	dec := func(raw string) (any, error) { var v Decimal; err := Decode([]byte(raw), &v); return v.String(), err }
	secs := func(raw string) (any, error) { var v UnixSeconds; err := Decode([]byte(raw), &v); return int64(v), err }
	yes, named7 := true, named("7")
	for _, tc := range []struct {
		decode func(string) (any, error)
		raw    string
		want   any // nil: a DecodeError
	}{
		{str, `5`, "5"}, {str, `1.50`, "1.50"}, {str, `-0.0`, "-0.0"}, {str, `1e3`, "1e3"}, {str, `true`, nil}, {str, `{}`, nil},
		{enum, `7`, &named7},
		{i64, `"6700"`, int64(6700)}, {i64, `"6.7e3"`, int64(6700)}, {i64, `6700.0`, int64(6700)}, {i64, `"-3"`, int64(-3)},
		{i64, `"6700.5"`, nil}, {i64, `"99999999999999999999"`, nil}, {i64, `" 6700"`, nil}, {i64, `"0x10"`, nil}, {i64, `"6\u0037"`, nil}, {i64, `""`, nil},
		{b, `"true"`, &yes}, {b, `"True"`, nil}, {b, `"1"`, nil}, {b, `1`, nil},
		{dec, `"1099.50"`, "1099.50"}, {dec, `"1,5"`, nil}, {dec, `"NaN"`, nil}, {dec, `"1e999999999"`, "1e999999999"},
		{secs, `"1692522784"`, int64(1692522784)}, {secs, `"1692522784.5"`, nil},
	} {
		got, err := tc.decode(tc.raw)
		if tc.want == nil {
			var de *DecodeError
			assert.ErrorAs(t, err, &de, "%s decodes to %v", tc.raw, got)
			continue
		}
		if assert.NoError(t, err, tc.raw) {
			assert.Equal(t, tc.want, got, tc.raw)
		}
	}
	// Encoding writes the declared type.
	var d struct{ N Decimal }
	require.NoError(t, json.Unmarshal([]byte(`{"N": "1099.50"}`), &d))
	out, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"N": 1099.50}`, string(out))
}

func TestDecodeErrors(t *testing.T) {
	var s string
	assert.EqualError(t, Decode([]byte(`{}`), &s), "(root): expected string, got object")
	assert.EqualError(t, Decode([]byte(`null`), &s), "(root): null where string expected")
	var d Decimal
	assert.EqualError(t, Decode([]byte(`"1,5"`), &d), "(root): expected number, got string")
	var list []int64
	assert.EqualError(t, DecodeSlice([]byte(`[1, 2, "x"]`), &list), "/2: expected integer, got string")
	var m map[string]bool
	assert.EqualError(t, DecodeMap([]byte(`{"a/b": 1}`), &m), "/a~1b: expected boolean, got number")
	assert.EqualError(t, At("x", At("y", errors.New("boom"))), "/x/y: boom")
}

func TestDecimal(t *testing.T) {
	for _, lit := range []string{"1.01", "195", "-0.5", "1e-7", "100.10", "123456789012345678901234567890.123456789"} {
		var d Decimal
		require.NoError(t, json.Unmarshal([]byte(lit), &d))
		assert.Equal(t, lit, d.String())
		out, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Equal(t, lit, string(out))
	}
	assert.True(t, MustDecimal("1.0").Equal(MustDecimal("1")))
	n, ok := MustDecimal("195").Int64()
	assert.True(t, ok)
	assert.Equal(t, int64(195), n)
	_, ok = MustDecimal("1.5").Int64()
	assert.False(t, ok)
	assert.Equal(t, "0", Decimal{}.String())
	_, err := ParseDecimal("1,5")
	assert.Error(t, err)
	assert.InDelta(t, 1.01, MustDecimal("1.01").Float64(), 1e-12)
	huge := MustDecimal("1e999999999")
	assert.Nil(t, huge.Rat(), "beyond math/big")
	_, ok = huge.Int64()
	assert.False(t, ok)
	assert.True(t, huge.Equal(MustDecimal("1e999999999")))
	var s UnixSeconds
	assert.Error(t, json.Unmarshal([]byte(`1e999999999`), &s))
}

func TestTimes(t *testing.T) {
	var s UnixSeconds
	require.NoError(t, json.Unmarshal([]byte(`1692522784`), &s))
	assert.Equal(t, time.Date(2023, 8, 20, 9, 13, 4, 0, time.UTC), s.Time())
	require.NoError(t, json.Unmarshal([]byte(`1692522784.0`), &s))
	assert.Error(t, json.Unmarshal([]byte(`1692522784.5`), &s))
	assert.Error(t, json.Unmarshal([]byte(`"1692522784x"`), &s))
	assert.True(t, UnixSeconds(0).Time().IsZero(), "Rapyd's unset 0")
	var ms UnixMillis
	require.NoError(t, json.Unmarshal([]byte(`1692522919674`), &ms))
	assert.Equal(t, int64(1692522919674), ms.Time().UnixMilli())
	var dt DateTime
	require.NoError(t, json.Unmarshal([]byte(`"2023-12-25 21:59:59"`), &dt))
	out, err := json.Marshal(dt)
	require.NoError(t, err)
	assert.Equal(t, `"2023-12-25 21:59:59"`, string(out))
	assert.Error(t, json.Unmarshal([]byte(`"2023-12-25T21:59:59Z"`), &dt))
}

func TestStringAt(t *testing.T) {
	body := []byte(`{"type": "x", "data": {"a~b": {"c/d": "deep"}}, "n": 5, "type": "last"}`)
	v, ok := StringAt(body, "/type")
	assert.True(t, ok)
	assert.Equal(t, "last", v, "the last of repeated names, as encoding/json")
	v, ok = StringAt(body, "/data/a~0b/c~1d")
	assert.True(t, ok)
	assert.Equal(t, "deep", v)
	_, ok = StringAt(body, "/n")
	assert.False(t, ok)
	_, ok = StringAt([]byte(`not json`), "/type")
	assert.False(t, ok)
}

func TestObjectWriterAndNulls(t *testing.T) {
	var w ObjectWriter
	w.Field("a", 1)
	w.Null("b")
	w.Extra(map[string]json.RawMessage{"z": json.RawMessage(`true`), "y": json.RawMessage(`[1]`)})
	out, err := w.Bytes()
	require.NoError(t, err)
	assert.Equal(t, `{"a":1,"b":null,"y":[1],"z":true}`, string(out))
	var empty ObjectWriter
	out, _ = empty.Bytes()
	assert.Equal(t, `{}`, string(out))
	var n Nulls
	assert.False(t, n.Has("x"))
	n.Set("x")
	assert.True(t, n.Has("x"))
}

func TestSetString(t *testing.T) {
	body := []byte("{\n  \"id\": \"evt_1\",\n  \"data\": {\"id\": \"chk_1\", \"n\": 2}\n}")
	out, err := SetString(body, "/id", "evt_2")
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"id\": \"evt_2\",\n  \"data\": {\"id\": \"chk_1\", \"n\": 2}\n}", string(out), "every other byte unchanged")
	out, err = SetString(body, "/data/id", "chk_\"2")
	require.NoError(t, err)
	assert.Contains(t, string(out), `"id": "chk_\"2"`)
	_, err = SetString(body, "/data/n", "x")
	assert.EqualError(t, err, "set /data/n: the value is not a string")
	_, err = SetString(body, "/nope", "x")
	assert.EqualError(t, err, "set /nope: no such property")
}
