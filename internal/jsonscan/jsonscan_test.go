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
}
