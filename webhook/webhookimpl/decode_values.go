package webhookimpl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
	"github.com/payhooks/payhooks/webhook"
)

// The decoders below have one shape, func(out *T, d *Decoder) error, so
// generated code passes them to Ptr, Slice and Map as values. Each reads
// the value at the cursor, checks its bytes, and moves past it; each
// absorbs the drift that loses nothing: a number where a string is declared
// (its digits as sent), a string holding exactly a number where a number
// is, "true" or "false" where a boolean is.

// DecodeString decodes a string, or a number's digits as sent.
func DecodeString[T ~string](out *T, d *Decoder) error {
	// The common case, a string of printable ASCII at the cursor, first.
	if i := d.pos; i < len(d.data) && d.data[i] == '"' {
		if end, ok := jsonscan.PlainASCII(d.data, i); ok {
			*out, d.pos = T(d.substring(i+1, end-1)), end
			return nil
		}
	}
	s, err := d.anyString()
	*out = T(s)
	return err
}

// anyString is DecodeString past its common case.
func (d *Decoder) anyString() (string, error) {
	i, err := d.peek()
	if err != nil {
		return "", err
	}
	switch c := d.data[i]; {
	case c == '"':
		s, end, err := d.text(i)
		if err != nil {
			return "", err
		}
		d.pos = end
		return s, nil
	case c == '-' || c >= '0' && c <= '9':
		end, err := d.number(i)
		if err != nil {
			return "", err
		}
		d.pos = end
		return d.substring(i, end), nil
	}
	return "", d.expected("string", i)
}

// DecodeBool decodes true or false, also quoted as drift sends them.
func DecodeBool(out *bool, d *Decoder) error {
	i, err := d.peek()
	if err != nil {
		return err
	}
	for _, lit := range [...]struct {
		text  string
		value bool
	}{{"true", true}, {"false", false}, {`"true"`, true}, {`"false"`, false}} {
		if bytes.HasPrefix(d.data[i:], []byte(lit.text)) {
			*out, d.pos = lit.value, i+len(lit.text)
			return nil
		}
	}
	return d.expected("boolean", i)
}

// DecodeInt64 decodes an integer that fits 64 bits: a JSON integer, a number with
// a zero fraction, or a string holding exactly one of those.
func DecodeInt64[T ~int64](out *T, d *Decoder) error {
	// The common case, a few digits ended by a delimiter, first.
	if n, end, ok := d.smallInteger(); ok {
		*out, d.pos = T(n), end
		return nil
	}
	i, end, err := d.numeric("integer")
	if err != nil {
		return err
	}
	n, err := lossless.Integer(d.data[i:end])
	if err != nil {
		return &webhook.DecodeError{Err: err}
	}
	*out, d.pos = T(n), end
	return nil
}

// smallInteger reads an integer of at most 18 digits at the cursor, with
// no leading zero, fraction or exponent, ended by what may follow a value;
// ok is false for anything else, which the general path reads.
func (d *Decoder) smallInteger() (n int64, end int, ok bool) {
	data, i := d.data, d.pos
	negative := i < len(data) && data[i] == '-'
	if negative {
		i++
	}
	start := i
	for ; i < len(data) && i-start < 19; i++ {
		c := data[i]
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	switch digits := i - start; {
	case digits == 0 || digits > 18 || digits > 1 && data[start] == '0':
		return 0, 0, false
	case i < len(data) && !isDelimiter(data[i]):
		return 0, 0, false
	}
	if negative {
		n = -n
	}
	return n, i, true
}

// isDelimiter reports whether c may follow a number: whitespace, a comma or
// a closer (or the end of the data, which the caller checks).
func isDelimiter(c byte) bool { return c == ',' || c == '}' || c == ']' || isSpace(c) }

// DecodeDecimal decodes a number exactly as sent, also from a string holding
// exactly one.
func DecodeDecimal(out *webhook.Decimal, d *Decoder) error {
	i, end, err := d.numeric("number")
	if err != nil {
		return err
	}
	if d.data[i] != '"' {
		// A number token numeric checked: its digits, as ParseDecimal
		// would keep them (a Decimal is the string of its digits, as the
		// slab for both has it).
		*(*string)(unsafe.Pointer(out)), d.pos = d.substring(i, end), end
		return nil
	}
	dec, err := webhook.ParseDecimal(d.substring(i+1, end-1))
	if err != nil {
		return &webhook.DecodeError{Err: fmt.Errorf("expected number, got string")}
	}
	*out, d.pos = dec, end
	return nil
}

// DecodeTime decodes an RFC 3339 time (lossless.Time: as time.Time's
// UnmarshalJSON reads it, a lower-case "t" or "z" too).
func DecodeTime(out *time.Time, d *Decoder) error {
	i, err := d.peek()
	if err != nil {
		return err
	}
	if d.data[i] != '"' {
		return d.expected("string", i)
	}
	text, end := []byte(nil), 0
	if e, ok := jsonscan.PlainASCII(d.data, i); ok {
		text, end = d.data[i+1:e-1], e // the common case, without a copy
	} else {
		s, e, err := d.text(i)
		if err != nil {
			return err
		}
		text, end = []byte(s), e
	}
	t, err := lossless.Time(text)
	if err != nil {
		return &webhook.DecodeError{Err: err}
	}
	*out, d.pos = t, end
	return nil
}

// DecodeDateTime decodes a webhook.DateTime ("2006-01-02 15:04:05").
func DecodeDateTime(out *webhook.DateTime, d *Decoder) error {
	// The common case, the layout exactly, read directly; anything else
	// as DateTime's UnmarshalJSON reads it.
	if i := d.pos; i+21 <= len(d.data) && d.data[i] == '"' && d.data[i+20] == '"' {
		if t, ok := lossless.DateTime(d.data[i+1 : i+20]); ok {
			*out, d.pos = webhook.DateTime{Time: t}, i+21
			return nil
		}
	}
	return decodeByMethod(out, d)
}

// decodeByMethod decodes a type through its own UnmarshalJSON
// (webhook.DateTime) once the value is checked to be valid JSON; a null,
// which such types would silently take as their zero value, is an error.
func decodeByMethod[T any, PT interface {
	*T
	json.Unmarshaler
}](out *T, d *Decoder) error {
	i, err := d.peek()
	if err != nil {
		return err
	}
	if bytes.HasPrefix(d.data[i:], []byte("null")) {
		kind := "string"
		if k, ok := any(*new(T)).(JSONKinder); ok {
			kind = k.JSONKind()
		}
		return d.expected(kind, i)
	}
	start, end, err := d.skip()
	if err != nil {
		return err
	}
	return PT(out).UnmarshalJSON(d.data[start:end])
}

// DecodeRaw keeps any valid JSON value as sent, null included.
func DecodeRaw(out *json.RawMessage, d *Decoder) error {
	start, end, err := d.skip()
	if err != nil {
		return err
	}
	*out = d.rawCopy(start, end)
	return nil
}

// DecodePtr decodes into a new T, or sets nil for a null.
func DecodePtr[T any](out **T, d *Decoder, decode func(*T, *Decoder) error) error {
	if d.Null() {
		*out = nil
		return nil
	}
	p := New[T](d)
	if err := decode(p, d); err != nil {
		return err
	}
	*out = p
	return nil
}

// DecodeStringPtr is DecodePtr with DecodeString, called directly. Optional
// scalars are most fields of a delivery; these read the common case (here
// a string of printable ASCII) at the cursor into a slab, with no call
// through a function value and no choice of slab, and leave the rest
// (null included) to DecodePtr.
func DecodeStringPtr[T ~string](out **T, d *Decoder) error {
	if i := d.pos; i < len(d.data) && d.data[i] == '"' {
		if end, ok := jsonscan.PlainASCII(d.data, i); ok {
			p := (*T)(unsafe.Pointer(d.strings.next()))
			*p, d.pos = T(d.substring(i+1, end-1)), end
			*out = p
			return nil
		}
	}
	return DecodePtr(out, d, DecodeString[T])
}

// DecodeInt64Ptr is DecodePtr with DecodeInt64, called directly.
func DecodeInt64Ptr[T ~int64](out **T, d *Decoder) error {
	if n, end, ok := d.smallInteger(); ok {
		p := (*T)(unsafe.Pointer(d.words.next()))
		*p, d.pos = T(n), end
		*out = p
		return nil
	}
	return DecodePtr(out, d, DecodeInt64[T])
}

// DecodeBoolPtr is DecodePtr with DecodeBool, called directly.
func DecodeBoolPtr(out **bool, d *Decoder) error {
	if i := d.pos; i < len(d.data) && (d.data[i] == 't' || d.data[i] == 'f') {
		p := (*bool)(unsafe.Pointer(d.words.next()))
		if err := DecodeBool(p, d); err != nil {
			return err
		}
		*out = p
		return nil
	}
	return DecodePtr(out, d, DecodeBool)
}

// DecodeDecimalPtr is DecodePtr with DecodeDecimal, called directly.
func DecodeDecimalPtr(out **webhook.Decimal, d *Decoder) error {
	return DecodePtr(out, d, DecodeDecimal)
}

// DecodeTimePtr is DecodePtr with DecodeTime, called directly.
func DecodeTimePtr(out **time.Time, d *Decoder) error {
	if i := d.pos; i < len(d.data) && d.data[i] == '"' {
		p := d.times.next()
		if err := DecodeTime(p, d); err != nil {
			return err
		}
		*out = p
		return nil
	}
	return DecodePtr(out, d, DecodeTime)
}

// A Decimal is the string of its digits: the decoders write one as such,
// and its slab is the strings'. This fails to compile when it is not.
var _ = [1]struct{}{}[unsafe.Sizeof(webhook.Decimal{})-unsafe.Sizeof("")]

// New returns a pointer to a zero T, from the decoder's slabs for the
// scalars optional fields and union variants hold most: strings and the
// enums over them, integers and the timestamps over them, booleans,
// decimals, times.
func New[T any](d *Decoder) *T {
	// Each slot holds a T of the same layout: a string's for a Decimal
	// (one string) and the types over string, a word for the integer and
	// boolean kinds, all without pointers but the strings'.
	switch any((*T)(nil)).(type) {
	case *webhook.Decimal:
		return (*T)(unsafe.Pointer(d.strings.next()))
	case *time.Time:
		return (*T)(unsafe.Pointer(d.times.next()))
	}
	switch reflect.TypeFor[T]().Kind() {
	case reflect.String:
		return (*T)(unsafe.Pointer(d.strings.next()))
	case reflect.Int64, reflect.Bool:
		return (*T)(unsafe.Pointer(d.words.next()))
	}
	return new(T)
}

// DecodeSlice decodes an array item by item, so an error names the index; a null
// is a nil slice, an empty array an empty one. The slice is exactly as long
// as the array, one allocation, however many items it has up to
// scratchBytes of them: items are decoded into the decoder's scratch for
// their type first.
func DecodeSlice[T any](out *[]T, d *Decoder, decode func(*T, *Decoder) error) error {
	if d.Null() {
		*out = nil
		return nil
	}
	if err := d.Array(); err != nil {
		return err
	}
	if d.emptyRest(']') {
		*out = []T{} // empty, not nil, and no allocation
		return nil
	}
	scratch := takeScratch[T](d)
	s := *scratch
	for d.Item() {
		s = append(s, *new(T))
		if err := decode(&s[len(s)-1], d); err != nil {
			giveScratch(d, scratch, s)
			return At(strconv.Itoa(len(s)-1), err)
		}
	}
	if err := d.Err(); err != nil {
		giveScratch(d, scratch, s)
		return err
	}
	*out = append([]T(nil), s...)
	giveScratch(d, scratch, s)
	return nil
}

// DecodeMap decodes an object of like values, so an error names the key; a null
// is a nil map. Like encoding/json, a repeated name keeps its last value.
// The members are read into the decoder's scratch first, so the map is made
// once for as many as there are, not grown.
func DecodeMap[T any](out *map[string]T, d *Decoder, decode func(*T, *Decoder) error) error {
	if d.Null() {
		*out = nil
		return nil
	}
	if err := d.Object(); err != nil {
		return err
	}
	scratch := takeScratch[member[T]](d)
	members := *scratch
	for d.Member() {
		members = append(members, member[T]{name: d.KeptName()})
		if err := decode(&members[len(members)-1].value, d); err != nil {
			name := members[len(members)-1].name
			giveScratch(d, scratch, members)
			return At(name, err)
		}
	}
	if err := d.Err(); err != nil {
		giveScratch(d, scratch, members)
		return err
	}
	m := make(map[string]T, len(members))
	for _, e := range members {
		m[e.name] = e.value
	}
	*out = m
	giveScratch(d, scratch, members)
	return nil
}

// member is a member of an object DecodeMap reads.
type member[T any] struct {
	name  string
	value T
}

// text reads the string whose quote is at i: a substring of the document
// when it is plain, else as encoding/json reads it (escapes resolved,
// invalid UTF-8 replaced).
func (d *Decoder) text(i int) (string, int, error) {
	if end, ok := jsonscan.PlainASCII(d.data, i); ok {
		return d.substring(i+1, end-1), end, nil
	}
	end, escaped, err := jsonscan.String(d.data, i)
	if err != nil {
		return "", 0, syntaxError(err)
	}
	if inner := d.data[i+1 : end-1]; !escaped && utf8.Valid(inner) {
		return d.substring(i+1, end-1), end, nil
	}
	s, err := unescape(d.data[i:end])
	return s, end, err
}

// unescape reads a string with escapes or invalid UTF-8 as encoding/json
// does; apart from text, so that text's result does not escape.
func unescape(quoted []byte) (string, error) {
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		return "", syntaxError(err)
	}
	return s, nil
}

// stringAt reads data[start:end] as a string, if it is one.
func (d *Decoder) stringAt(start, end int) (string, bool) {
	if d.data[start] != '"' {
		return "", false
	}
	s, e, err := d.text(start)
	return s, err == nil && e == end
}

// number checks the JSON number at i and returns its end.
func (d *Decoder) number(i int) (int, error) {
	end, err := jsonscan.Number(d.data, i)
	if err != nil {
		return 0, syntaxError(err)
	}
	return end, nil
}

// numeric finds the number, or the string that may hold one, at the
// cursor, for a decoder of the given kind.
func (d *Decoder) numeric(kind string) (start, end int, err error) {
	i, err := d.peek()
	if err != nil {
		return 0, 0, err
	}
	switch c := d.data[i]; {
	case c == '"':
		end, _, err := jsonscan.String(d.data, i)
		if err != nil {
			return 0, 0, syntaxError(err)
		}
		return i, end, nil
	case c == '-' || c >= '0' && c <= '9':
		end, err := d.number(i)
		return i, end, err
	}
	return 0, 0, d.expected(kind, i)
}
