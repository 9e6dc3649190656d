package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook/drift"
)

// decode parses one payload into the generic tree the schema engine walks,
// keeping numbers as json.Number so their digits survive. A payload that is
// not JSON gives an invalid_json finding saying where it broke.
func decode(body []byte) (any, *drift.Finding) {
	if !utf8.Valid(body) {
		off := invalidUTF8Offset(body)
		f := newFinding("", drift.InvalidJSON, "invalid UTF-8 at byte %d (%s)", off, lineCol(body, off))
		f.Line = lineAt(body, off)
		return nil, &f
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		f := syntaxFinding(body, err, dec.InputOffset())
		return nil, &f
	}
	if ptr, num, ok := outOfRangeNumber(v); ok {
		f := newFinding(ptr, drift.InvalidJSON, "number %s is out of the range payhooks can check (at most %d characters, exponent within ±%d)", truncate(num, 40), MaxNumberLength, MaxNumberExponent)
		f.Line = LineOf(body, ptr)
		return nil, &f
	}
	if off := int(dec.InputOffset()); len(bytes.TrimSpace(body[off:])) > 0 {
		f := newFinding("", drift.InvalidJSON, "unexpected data after the JSON value at byte %d (%s)", off, lineCol(body, off))
		f.Line = lineAt(body, off)
		return nil, &f
	}
	return v, nil
}

func syntaxFinding(body []byte, err error, inputOffset int64) drift.Finding {
	f := syntaxFindingAt(body, err, inputOffset)
	if f.Line == 0 {
		f.Line = 1
	}
	return f
}

func syntaxFindingAt(body []byte, err error, inputOffset int64) drift.Finding {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset)
		f := newFinding("", drift.InvalidJSON, "%s at byte %d (%s)", se.Error(), off, lineCol(body, off))
		f.Line = lineAt(body, off)
		return f
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if len(bytes.TrimSpace(body)) == 0 {
			return newFinding("", drift.InvalidJSON, "empty payload")
		}
		return newFinding("", drift.InvalidJSON, "truncated: the payload ends inside a value (%s)", lineCol(body, len(body)))
	}
	off := int(inputOffset)
	return newFinding("", drift.InvalidJSON, "%v (%s)", err, lineCol(body, off))
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// lineAt returns the line (from 1) holding byte off.
func lineAt(b []byte, off int) int {
	if off > len(b) {
		off = len(b)
	}
	return 1 + bytes.Count(b[:off], []byte{'\n'})
}

// lineCol turns a byte offset into "line L, column C", both from 1.
func lineCol(b []byte, off int) string {
	if off > len(b) {
		off = len(b)
	}
	line := lineAt(b, off)
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// duplicateKey walks JSON already known to be well formed and returns the
// pointer of the first name that appears twice in one object.
// encoding/json silently keeps the last value, so this is the only place it
// shows.
func duplicateKey(data []byte) (ptr string, found bool) {
	type frame struct {
		object   bool
		firstKey int                 // index in keys of this object's first name
		set      map[string]struct{} // its names, once there are many
		key      []byte
		index    int
	}
	// Beyond this many names an object's names go in a map, so a hostile
	// object of a million names costs linear time, not quadratic.
	const linearNames = 64
	var stackBuf [32]frame
	var keysBuf [64][]byte
	stack, keys := stackBuf[:0], keysBuf[:0]
	_ = jsonscan.Walk(data, func(t jsonscan.Token) bool {
		switch t.Kind {
		case jsonscan.Close:
			if stack[len(stack)-1].object {
				keys = keys[:stack[len(stack)-1].firstKey]
			}
			stack = stack[:len(stack)-1]
			return true
		case jsonscan.Key:
			top := &stack[len(stack)-1]
			key := jsonscan.Name(data[t.Start+1:t.End-1], t.Escaped)
			dup := false
			if top.set != nil {
				_, dup = top.set[string(key)]
				top.set[string(key)] = struct{}{}
			} else {
				dup = slices.ContainsFunc(keys[top.firstKey:], func(k []byte) bool { return bytes.Equal(k, key) })
				keys = append(keys, key)
				if len(keys)-top.firstKey > linearNames {
					top.set = make(map[string]struct{}, 2*linearNames)
					for _, k := range keys[top.firstKey:] {
						top.set[string(k)] = struct{}{}
					}
				}
			}
			top.key = key
			if dup {
				for _, f := range stack {
					if f.object {
						ptr += "/" + jsonpointer.Escape(string(f.key))
					} else {
						ptr += "/" + strconv.Itoa(f.index)
					}
				}
				found = true
				return false
			}
			return true
		}
		if depth := len(stack); depth > 0 && !stack[depth-1].object {
			stack[depth-1].index++
		}
		if t.Kind == jsonscan.Open {
			stack = append(stack, frame{object: t.Object, firstKey: len(keys), index: -1})
		}
		return true
	})
	return ptr, found
}

// MaxNumberLength and MaxNumberExponent bound the numbers the schema engine
// checks: it reads a number with math/big, whose work grows with the
// square of its digits and with its exponent (a million digits took
// seconds, an exponent of a million tens of milliseconds, per number). A
// number past either is reported as out of range rather than checked; no
// payment provider sends one.
const (
	MaxNumberLength   = 1000
	MaxNumberExponent = 1000
)

// outOfRangeNumber finds a number the schema engine is not given (see
// MaxNumberLength). The pointer is built on the way back from the one it
// finds, so the walk allocates nothing per level of nesting.
func outOfRangeNumber(v any) (ptr, num string, found bool) {
	var tokens []string // innermost first
	num, found = findOutOfRange(v, &tokens)
	if !found {
		return "", "", false
	}
	return pointerOf(tokens), num, true
}

func findOutOfRange(v any, tokens *[]string) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		if s := x.String(); !checkableNumber(s) {
			return s, true
		}
	case map[string]any:
		for k, child := range x {
			if n, ok := findOutOfRange(child, tokens); ok {
				*tokens = append(*tokens, jsonpointer.Escape(k))
				return n, true
			}
		}
	case []any:
		for i, child := range x {
			if n, ok := findOutOfRange(child, tokens); ok {
				*tokens = append(*tokens, strconv.Itoa(i))
				return n, true
			}
		}
	}
	return "", false
}

// checkableNumber says whether a JSON number literal is within
// MaxNumberLength and MaxNumberExponent, reading it once.
func checkableNumber(s string) bool {
	if len(s) > MaxNumberLength {
		return false
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return true
	}
	exp := strings.TrimLeft(strings.TrimLeft(s[i+1:], "+-"), "0")
	if len(exp) > 4 {
		return false
	}
	n, _ := strconv.Atoi(exp)
	return n <= MaxNumberExponent
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n-3] + "..."
	}
	return s
}
