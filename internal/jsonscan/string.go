package jsonscan

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"unicode/utf8"
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
// Most strings in a delivery are such, and one pass reads them.
func PlainASCII(data []byte, i int) (end int, ok bool) {
	j := i + 1
	for ; j+8 <= len(data); j += 8 {
		w := binary.LittleEndian.Uint64(data[j:])
		// Or a byte of 0x80 or more: UTF-8 to check.
		if stop := special(w) | w&highs; stop != 0 {
			// The lowest flagged byte is a true one (see special): the
			// string is plain exactly when it is the closing quote.
			j += bits.TrailingZeros64(stop) / 8
			if data[j] == '"' {
				return j + 1, true
			}
			return 0, false
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
	for ; j+8 <= len(data); j += 8 {
		if stop := special(binary.LittleEndian.Uint64(data[j:])); stop != 0 {
			return j + bits.TrailingZeros64(stop)/8
		}
	}
	return j
}

const ones, highs = 0x0101010101010101, 0x8080808080808080

// special has the high bit set in (at least) the first byte of w that is a
// quote, a backslash or below 0x20, and is zero when there is none. Bytes
// above the first such one may be flagged falsely (a borrow carries), never
// bytes below it, so the lowest flagged byte is always a true one.
func special(w uint64) uint64 {
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return (quote-ones)&^quote&highs | (backslash-ones)&^backslash&highs | (w-ones*0x20)&^w&highs
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
