package webhookimpl

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
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
		var de *webhook.DecodeError
		assert.True(t, errors.As(err, &de))
	}
}

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

func TestDecodeAbsorbsLosslessDrift(t *testing.T) {
	type named string
	str := func(raw string) (any, error) { var v string; err := Decode([]byte(raw), &v); return v, err }
	enum := func(raw string) (any, error) { var v *named; err := Decode([]byte(raw), &v); return v, err }
	i64 := func(raw string) (any, error) { var v int64; err := Decode([]byte(raw), &v); return v, err }
	b := func(raw string) (any, error) { var v *bool; err := Decode([]byte(raw), &v); return v, err }
	dec := func(raw string) (any, error) {
		var v webhook.Decimal
		err := Decode([]byte(raw), &v)
		return v.String(), err
	}
	secs := func(raw string) (any, error) {
		var v webhook.UnixSeconds
		err := Decode([]byte(raw), &v)
		return int64(v), err
	}
	yes, named7 := true, named("7")
	for _, tc := range []struct {
		decode func(string) (any, error)
		raw    string
		want   any // nil: a webhook.DecodeError
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
			var de *webhook.DecodeError
			assert.ErrorAs(t, err, &de, "%s decodes to %v", tc.raw, got)
			continue
		}
		if assert.NoError(t, err, tc.raw) {
			assert.Equal(t, tc.want, got, tc.raw)
		}
	}
	// Encoding writes the declared type.
	var d struct{ N webhook.Decimal }
	require.NoError(t, json.Unmarshal([]byte(`{"N": "1099.50"}`), &d))
	out, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"N": 1099.50}`, string(out))
}

func TestDecodeErrors(t *testing.T) {
	var s string
	assert.EqualError(t, Decode([]byte(`{}`), &s), "(root): expected string, got object")
	assert.EqualError(t, Decode([]byte(`null`), &s), "(root): null where string expected")
	var d webhook.Decimal
	assert.EqualError(t, Decode([]byte(`"1,5"`), &d), "(root): expected number, got string")
	var list []int64
	assert.EqualError(t, DecodeSlice([]byte(`[1, 2, "x"]`), &list), "/2: expected integer, got string")
	var m map[string]bool
	assert.EqualError(t, DecodeMap([]byte(`{"a/b": 1}`), &m), "/a~1b: expected boolean, got number")
	assert.EqualError(t, At("x", At("y", errors.New("boom"))), "/x/y: boom")
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
