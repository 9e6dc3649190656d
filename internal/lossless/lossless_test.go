package lossless

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// What the tolerant reader reads as a declared type without loss, value by
// value: the rule schemas learn leaves to review rather than widening.
func TestReadsAs(t *testing.T) {
	for _, tc := range []struct {
		value string
		as    []string
	}{
		{`6700`, []string{"integer", "number", "string"}},
		{`"6700"`, []string{"integer", "number", "string"}},
		{`6700.0`, []string{"integer", "number", "string"}},
		{`"67.5"`, []string{"number", "string"}},
		{`67.5`, []string{"number", "string"}},
		{`"true"`, []string{"boolean", "string"}},
		{`false`, []string{"boolean"}},
		{`"abc"`, []string{"string"}},
		{`" 12"`, []string{"string"}},
		{`99999999999999999999`, []string{"number", "string"}},
		{`null`, nil},
		{`{"a":1}`, nil},
	} {
		var got []string
		for _, typ := range []string{"integer", "number", "boolean", "string"} {
			if ReadsAs([]byte(tc.value), typ) {
				got = append(got, typ)
			}
		}
		assert.Equal(t, tc.as, got, tc.value)
	}
}
