// Package jsonscan is the byte-level JSON scanning that the runtime's
// decoders (package webhook) and the drift checker's fast engine (package
// validate) share: skipping whitespace, strings and whole values without
// decoding or copying them, and the one nesting limit both observe. It
// checks structure only (brackets, quotes, the end of a value); a caller
// that needs a value to be valid JSON checks that itself, as generated
// Parse functions do with json.Valid before they split anything.
package jsonscan

import (
	"errors"
	"fmt"
)

// MaxDepth is encoding/json's nesting limit; the scanners refuse deeper
// input rather than recurse into it.
const MaxDepth = 10000

// ErrTruncated is the error for input that ends inside a value.
var ErrTruncated = errors.New("unexpected end of JSON input")

// IsSpace reports whether c is JSON whitespace.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// SkipSpace returns the index of the first non-whitespace byte at or after i.
func SkipSpace(data []byte, i int) int {
	for i < len(data) && IsSpace(data[i]) {
		i++
	}
	return i
}

// SkipString returns the index just past the string whose quote is at i.
func SkipString(data []byte, i int) (int, error) {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, ErrTruncated
}

// SkipValue returns the index just past the value starting at i.
func SkipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, ErrTruncated
	}
	switch data[i] {
	case '"':
		return SkipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				end, err := SkipString(data, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
				if depth > MaxDepth {
					return 0, fmt.Errorf("nesting deeper than %d", MaxDepth)
				}
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, ErrTruncated
	}
	j := i
	for j < len(data) && !IsSpace(data[j]) && data[j] != ',' && data[j] != '}' && data[j] != ']' {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("invalid character %q looking for a value", data[i])
	}
	return j, nil
}
