package webhookimpl

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/payhooks/payhooks/webhook"
)

// Encoder builds the JSON a generated MarshalJSON returns, appending to one
// buffer: declared fields in the order written, then the unknown members
// decoding kept, sorted by name. Strings are escaped as encoding/json
// escapes them (HTML-safe, invalid UTF-8 replaced).
type Encoder struct {
	buf    []byte
	first  bool // just past '{' or '[': the next member or item takes no comma
	err    error
	pooled *[]byte // the scratch buffer buf grew from, to give back in Bytes
}

// scratch keeps document buffers between MarshalJSON calls: a document is
// written into one and Bytes returns an exact-size copy, as encoding/json
// does, so that it costs one allocation of its own size rather than a
// buffer that regrew on the way.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxScratch is the largest buffer given back to scratch: one grown by a
// rare huge document is left to the collector rather than kept.
const maxScratch = 64 << 10

// Bytes returns the document, or the first error met. The encoder is
// spent: its scratch buffer goes back for the next document.
func (w *Encoder) Bytes() ([]byte, error) {
	out, err := w.buf, w.err
	if w.pooled != nil {
		if err == nil {
			out = bytes.Clone(w.buf)
		}
		if cap(w.buf) <= maxScratch {
			*w.pooled = w.buf[:0]
			scratch.Put(w.pooled)
		}
		w.buf, w.pooled = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ObjectStart opens an object.
func (w *Encoder) ObjectStart() {
	if w.buf == nil {
		w.pooled = scratch.Get().(*[]byte)
		w.buf = (*w.pooled)[:0]
	}
	w.buf, w.first = append(w.buf, '{'), true
}

// ObjectEnd closes it.
func (w *Encoder) ObjectEnd() { w.buf, w.first = append(w.buf, '}'), false }

// ArrayStart opens an array.
func (w *Encoder) ArrayStart() { w.buf, w.first = append(w.buf, '['), true }

// ArrayEnd closes it.
func (w *Encoder) ArrayEnd() { w.buf, w.first = append(w.buf, ']'), false }

// Name starts a member; quoted is its name as a JSON string, escaped when
// the code was generated.
func (w *Encoder) Name(quoted string) {
	w.comma()
	w.buf = append(append(w.buf, quoted...), ':')
}

// Item starts an array item.
func (w *Encoder) Item() { w.comma() }

func (w *Encoder) comma() {
	if !w.first {
		w.buf = append(w.buf, ',')
	}
	w.first = false
}

// Null writes null.
func (w *Encoder) Null() { w.buf = append(w.buf, "null"...) }

// EmptyObject writes {}, for a map that arrived empty (see Nulls).
func (w *Encoder) EmptyObject() { w.buf = append(w.buf, "{}"...) }

// Extra writes the unknown members decoding kept, sorted by name.
func (w *Encoder) Extra(extra map[string]json.RawMessage) {
	for _, name := range sortedNames(extra) {
		w.comma()
		w.buf = appendString(w.buf, name)
		w.buf = append(append(w.buf, ':'), extra[name]...)
	}
}

// The encoders below have one shape, func(v *T, w *Encoder), the shape of
// a generated type's encodeJSON method expression, so generated code
// passes them to EncodePtr, EncodeSlice and EncodeMap as values.

// EncodeString writes a string.
func EncodeString[T ~string](v *T, w *Encoder) { w.buf = appendString(w.buf, string(*v)) }

// EncodeBool writes true or false.
func EncodeBool(v *bool, w *Encoder) { w.buf = strconv.AppendBool(w.buf, *v) }

// EncodeInt64 writes an integer.
func EncodeInt64[T ~int64](v *T, w *Encoder) { w.buf = strconv.AppendInt(w.buf, int64(*v), 10) }

// EncodeDecimal writes a number with the digits it was decoded from.
func EncodeDecimal(v *webhook.Decimal, w *Encoder) { w.buf = append(w.buf, v.String()...) }

// encodeByMethod writes a type through its own MarshalJSON (time.Time,
// webhook.DateTime).
func encodeByMethod[T any, PT interface {
	*T
	json.Marshaler
}](v *T, w *Encoder) {
	data, err := PT(v).MarshalJSON()
	if err != nil {
		if w.err == nil {
			w.err = err // the first error is the one returned
		}
		w.Null()
		return
	}
	w.buf = append(w.buf, data...)
}

// EncodeTime writes a time as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds), without its allocation.
func EncodeTime(v *time.Time, w *Encoder) {
	if y := v.Year(); y < 0 || y > 9999 {
		encodeByMethod(v, w) // its error, worded by package time
		return
	}
	w.buf = append(v.AppendFormat(append(w.buf, '"'), time.RFC3339Nano), '"')
}

// EncodeDateTime writes a webhook.DateTime in its layout, as its
// MarshalJSON does, without its allocations.
func EncodeDateTime(v *webhook.DateTime, w *Encoder) {
	w.buf = append(v.UTC().AppendFormat(append(w.buf, '"'), webhook.DateTimeLayout), '"')
}

// EncodeRaw writes a raw value as it is; nil is null.
func EncodeRaw(v *json.RawMessage, w *Encoder) {
	if *v == nil {
		w.Null()
		return
	}
	w.buf = append(w.buf, *v...)
}

// EncodePtr writes what v points to, or null.
func EncodePtr[T any](v **T, w *Encoder, encode func(*T, *Encoder)) {
	if *v == nil {
		w.Null()
		return
	}
	encode(*v, w)
}

// EncodeSlice writes an array; a nil slice is null, as encoding/json
// writes it.
func EncodeSlice[T any](v *[]T, w *Encoder, encode func(*T, *Encoder)) {
	if *v == nil {
		w.Null()
		return
	}
	w.ArrayStart()
	for i := range *v {
		w.Item()
		encode(&(*v)[i], w)
	}
	w.ArrayEnd()
}

// EncodeMap writes an object with its names sorted, as encoding/json does;
// a nil map is null.
func EncodeMap[T any](v *map[string]T, w *Encoder, encode func(*T, *Encoder)) {
	if *v == nil {
		w.Null()
		return
	}
	w.ObjectStart()
	for _, name := range sortedNames(*v) {
		w.comma()
		w.buf = append(appendString(w.buf, name), ':')
		item := (*v)[name]
		encode(&item, w)
	}
	w.ObjectEnd()
}

// plain marks the bytes a JSON string holds as they are: printable ASCII
// but the quote, the backslash and, for HTML safety, <, > and &.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// sortedNames returns a map's names sorted, in one allocation (none for an
// empty map).
func sortedNames[T any](m map[string]T) []string {
	if len(m) == 0 {
		return nil
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it: quotes, backslashes and control characters, <, > and & (so
// the output is safe inside HTML), U+2028 and U+2029, and invalid UTF-8 as
// U+FFFD.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		for i < len(s) && plain[s[i]] {
			i++ // the common run: printable ASCII that needs no escape
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(append(buf, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(append(buf, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(buf, s[start:]...), '"')
}
