package jsonscan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walked spells Walk's tokens as encoding/json's Decoder.Token gives them:
// delimiters, names and scalar values, one a line.
func walked(data []byte) ([]string, error) {
	var out []string
	err := Walk(data, func(t Token) bool {
		raw := data[t.Start:t.End]
		switch t.Kind {
		case Open, Close:
			out = append(out, string(raw))
		case Key:
			out = append(out, "key "+string(Name(raw[1:len(raw)-1], t.Escaped)))
		case Scalar:
			var v any
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			if err := d.Decode(&v); err != nil {
				out = append(out, "bad scalar "+string(raw))
			} else {
				out = append(out, fmt.Sprintf("%T %v", v, v))
			}
		}
		return true
	})
	return out, err
}

// decoded is the same from encoding/json.
func decoded(data []byte) ([]string, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var out []string
	// wantKey, per open container: an object's next string is a name.
	var wantKey, object []bool
	valueDone := func() {
		if n := len(wantKey); n > 0 {
			wantKey[n-1] = object[n-1]
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		n := len(wantKey)
		switch v := tok.(type) {
		case json.Delim:
			out = append(out, v.String())
			switch v {
			case '{', '[':
				if n > 0 {
					wantKey[n-1] = false
				}
				wantKey, object = append(wantKey, v == '{'), append(object, v == '{')
			default:
				wantKey, object = wantKey[:n-1], object[:n-1]
				valueDone()
			}
		case string:
			if n > 0 && wantKey[n-1] {
				out = append(out, "key "+v)
				wantKey[n-1] = false
				continue
			}
			out = append(out, fmt.Sprintf("%T %v", v, v))
			valueDone()
		default:
			out = append(out, fmt.Sprintf("%T %v", v, v))
			valueDone()
		}
	}
}

func TestWalkTokens(t *testing.T) {
	doc := []byte(` {"a": [1, -2.5e3, "x\n", true, null, {}], "\u0062": {"c": []}, "d": "e"} `)
	got, err := walked(doc)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"{", "key a", "[", "json.Number 1", "json.Number -2.5e3", "string x\n", "bool true", "<nil> <nil>", "{", "}", "]",
		"key b", "{", "key c", "[", "]", "}", "key d", "string e", "}",
	}, got)
	for doc, want := range map[string]string{
		`{"a" 1}`:   "expected ':' after a property name at offset 5",
		`{"a": 1,}`: "expected a property name at offset 8",
		`[1 2]`:     `invalid character '2' after a value at offset 3`,
		`{"a": 1]`:  `invalid character ']' after a value at offset 7`,
		`[1,]`:      `invalid character ']' looking for a value`,
		`1 2`:       `invalid character '2' after the top-level value at offset 2`,
		`{"a": [`:   "unexpected end of JSON input",
		``:          "unexpected end of JSON input",
	} {
		_, err := walked([]byte(doc))
		assert.EqualError(t, err, want, doc)
	}
	n := 0
	require.NoError(t, Walk([]byte(`[1, 2, 3]`), func(Token) bool { n++; return n < 2 }))
	assert.Equal(t, 2, n, "fn stops the walk")
}

// On every valid document Walk gives the tokens encoding/json gives.
func FuzzWalk(f *testing.F) {
	for _, s := range []string{`{"a": [1, {"b": null}], "c": "d"}`, `[]`, `"x"`, `{"\u0061": {"a": [[]]}}`, `[{"a":1},{"a":2}]`, `{"a" 1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := walked(data)
		if !json.Valid(data) {
			return
		}
		require.NoError(t, err, "%q", data)
		want, err := decoded(data)
		require.NoError(t, err)
		require.Equal(t, want, got, "%q", data)
	})
}
