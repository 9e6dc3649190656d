// Package jsonscan is the byte-level JSON scanning that the runtime's
// decoders (packages webhook and webhookimpl), the drift checker's fast
// engine, its locator and duplicate-name check (package validate) and the
// schema loader's depth check (package compile) share: skipping
// whitespace, strings, literals and whole values without decoding or
// copying them, walking an object's members or an array's items in place,
// walking a whole document token by token (Walk), telling a value's kind by
// its first byte, reading a property name as encoding/json does, and the
// one nesting limit all of them observe. It checks structure (brackets,
// quotes, escapes, the end of a value), not the spelling of numbers and
// literals; a caller that needs a value to be valid JSON checks that
// itself, as generated Parse functions do with json.Valid before they split
// anything.
package jsonscan

import (
	"errors"
	"fmt"
	"math/bits"
	"unsafe"
)

// MaxDepth is encoding/json's nesting limit; the scanners refuse deeper
// input rather than recurse into it.
const MaxDepth = 10000

// ErrTruncated is the error for input that ends inside a value.
var ErrTruncated = errors.New("unexpected end of JSON input")

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') }

// IsSpace reports whether c is JSON whitespace.
func IsSpace(c byte) bool { return isSpace(c) }

// SkipSpace returns the index of the first non-whitespace byte at or after i.
func SkipSpace(data []byte, i int) int {
	if i < len(data) && data[i] > ' ' {
		return i // the common case, no space at all, in the caller
	}
	return skipSpace(data, i)
}

// skipSpace is SkipSpace past its common case. An indented document's
// whitespace is a newline and a run of spaces, which it passes eight bytes
// at a time.
func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
		if i+8 <= len(data) && data[i] == ' ' {
			base := unsafe.Pointer(unsafe.SliceData(data))
			for {
				if other := word(base, i) ^ 0x2020202020202020; other != 0 {
					i += bits.TrailingZeros64(other) / 8
					break
				}
				if i += 8; i+8 > len(data) {
					break
				}
			}
		}
	}
	return i
}

// structural marks the bytes SkipValue stops at inside a container; it
// passes over every other byte with one look-up.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// SkipValue returns the index just past the value starting at i.
func SkipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, ErrTruncated
	}
	switch data[i] {
	case '"':
		end, _, err := String(data, i)
		return end, err
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			if !structural[data[j]] {
				continue
			}
			switch data[j] {
			case '"':
				end, _, err := String(data, j)
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
	for j < len(data) && !isSpace(data[j]) && data[j] != ',' && data[j] != '}' && data[j] != ']' {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("invalid character %q looking for a value", data[i])
	}
	return j, nil
}
