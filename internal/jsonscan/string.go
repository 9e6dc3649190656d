package jsonscan

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// String returns the index just past the string whose opening quote is at
// i, and whether it holds an escape (when it does not, its bytes between
// the quotes are its value). A control character or a malformed escape is
// an error, as it is to encoding/json.
func String(data []byte, i int) (end int, escaped bool, err error) {
	for j := i + 1; j < len(data); j++ {
		j = plainRun(data, j)
		if j >= len(data) {
			break
		}
		switch c := data[j]; {
		case c == '"':
			return j + 1, escaped, nil
		case c == '\\':
			escaped = true
			j++
			if j >= len(data) {
				return 0, false, ErrTruncated
			}
			switch data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(data) {
					return 0, false, ErrTruncated
				}
				if !IsHex(data[j+1]) || !IsHex(data[j+2]) || !IsHex(data[j+3]) || !IsHex(data[j+4]) {
					return 0, false, fmt.Errorf("invalid \\u escape at offset %d", j-1)
				}
				j += 4
			default:
				return 0, false, fmt.Errorf("invalid escape %q at offset %d", data[j], j-1)
			}
		case c < 0x20:
			return 0, false, fmt.Errorf("control character %q in a string at offset %d", c, j)
		}
	}
	return 0, false, ErrTruncated
}

// PlainASCII returns the index just past the string whose quote is at i
// when it holds only printable ASCII and no escape, its bytes being its
// value as they are; ok is false for any other string, which String reads.
// Most strings in a delivery are such, and one pass reads them, eight
// bytes at a time.
func PlainASCII(data []byte, i int) (end int, ok bool) {
	j := i + 1
	if j+8 <= len(data) {
		base := unsafe.Pointer(unsafe.SliceData(data))
		for {
			if stop := notPlain(word(base, j)); stop != 0 {
				// The lowest flagged byte is the first not plain: the
				// string is plain exactly when it is the closing quote.
				if j += bits.TrailingZeros64(stop) / 8; data[j] == '"' {
					return j + 1, true
				}
				return 0, false
			}
			if j += 8; j+8 > len(data) {
				break
			}
		}
	}
	for ; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return j + 1, true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return 0, false
		}
	}
	return 0, false
}

// plainRun returns the index of the first byte at or after j that ends a
// run of plain string bytes (a quote, a backslash or a control character),
// testing eight bytes at a time: strings are most of a payload's bytes.
func plainRun(data []byte, j int) int {
	if j+8 <= len(data) {
		base := unsafe.Pointer(unsafe.SliceData(data))
		for {
			w := word(base, j)
			if stop := notPlain(w) &^ (w & highs); stop != 0 {
				return j + bits.TrailingZeros64(stop)/8
			}
			if j += 8; j+8 > len(data) {
				break
			}
		}
	}
	for ; j < len(data); j++ {
		if c := data[j]; c == '"' || c == '\\' || c < 0x20 {
			return j
		}
	}
	return j
}

// word is the eight bytes at base+j, the first in the lowest byte.
func word(base unsafe.Pointer, j int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(base, j))[:])
}

const highs, lows = 0x8080808080808080, 0x7f7f7f7f7f7f7f7f

// notPlain has the high bit set in exactly the bytes of w that a plain
// string's bytes cannot be: a quote, a backslash, a control character, or
// a byte of 0x80 or more (UTF-8 to check). Each test adds to a byte's low
// seven bits, which never carries into the next byte.
func notPlain(w uint64) uint64 {
	low := w & lows
	control := low + 0x6060606060606060 // high bit clear: below 0x20
	quote := (low ^ 0x2222222222222222) + lows
	backslash := (low ^ 0x5c5c5c5c5c5c5c5c) + lows
	return (^(control & quote & backslash) | w) & highs
}

// IsHex reports whether c is a hexadecimal digit.
func IsHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// Name returns the text of a property name given its bytes between the
// quotes, as encoding/json reads it: escapes resolved and invalid UTF-8
// replaced by U+FFFD. A plain, valid name is returned as is, without
// copying.
func Name(key []byte, escaped bool) []byte {
	if !escaped && utf8.Valid(key) {
		return key
	}
	quoted := make([]byte, 0, len(key)+2)
	quoted = append(append(append(quoted, '"'), key...), '"')
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return key
	}
	return []byte(s)
}
