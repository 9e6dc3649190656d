package webhookimpl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
)

// Decoder holds one JSON document while generated code decodes it in a
// single pass: each value is read where it lies, by the decoder of the Go
// type meant for it, and checked as it is read, so a document that decodes
// is valid JSON without a json.Valid pass first. Every plain string and
// number the types keep is a substring of one copy of the document, made
// once; raw values (Extra, json.RawMessage) share one byte copy likewise.
// A decoded value therefore keeps its whole document alive, as long as any
// of its strings is; documents are deliveries of at most a few MiB.
type Decoder struct {
	data []byte
	str  string // data as a string, once a value needs it
	raw  []byte // a copy of data, once a raw value needs it
}

// Span is a value's byte range in the document.
type Span struct{ Start, End int }

// NewDecoder returns a decoder over data and the span of the value it
// holds; whitespace may surround the value, nothing else.
func NewDecoder(data []byte) (*Decoder, Span, error) {
	start := jsonscan.SkipSpace(data, 0)
	end, err := jsonscan.SkipValue(data, start)
	if err != nil {
		return nil, Span{}, syntaxError(err)
	}
	if rest := jsonscan.SkipSpace(data, end); rest != len(data) {
		return nil, Span{}, syntaxError(fmt.Errorf("invalid character %q after the value", data[rest]))
	}
	return &Decoder{data: data}, Span{start, end}, nil
}

// Bytes returns the bytes of v.
func (d *Decoder) Bytes(v Span) []byte { return d.data[v.Start:v.End] }

// Kind returns the JSON kind of v.
func (d *Decoder) Kind(v Span) Kind { return jsonscan.KindOf(d.data[v.Start:v.End]) }

// IsNull reports whether v is the JSON null.
func (d *Decoder) IsNull(v Span) bool {
	return v.End-v.Start == 4 && string(d.data[v.Start:v.End]) == "null"
}

// substring returns data[start:end] as a string that shares the decoder's
// one string copy of the document.
func (d *Decoder) substring(start, end int) string {
	if d.str == "" {
		d.str = string(d.data)
	}
	return d.str[start:end]
}

// rawCopy returns a copy of v's bytes that shares the decoder's one byte
// copy of the document and does not alias the caller's buffer.
func (d *Decoder) rawCopy(v Span) []byte {
	if d.raw == nil {
		d.raw = bytes.Clone(d.data)
	}
	return d.raw[v.Start:v.End:v.End]
}

// valid checks that v is well-formed JSON, for values no typed decoder
// reads (Extra, json.RawMessage, a type's own UnmarshalJSON).
func (d *Decoder) valid(v Span) error {
	if !json.Valid(d.data[v.Start:v.End]) {
		return syntaxError(errors.New("the value is not valid JSON"))
	}
	return nil
}

// Members walks an object's members in order.
type Members struct {
	d        *Decoder
	next     int
	end      int
	name     string
	value    Span
	err      error
	finished bool
}

// Members starts a walk over the object v; any other kind is an error.
func (d *Decoder) Members(v Span) (Members, error) {
	if d.data[v.Start] != '{' {
		return Members{}, expected("object", d, v)
	}
	m := Members{d: d, next: jsonscan.SkipSpace(d.data, v.Start+1), end: v.End}
	if d.data[m.next] == '}' {
		m.finished = true
	}
	return m, nil
}

// Next moves to the next member; false at the end of the object or at a
// syntax error (Err says which).
func (m *Members) Next() bool {
	if m.finished || m.err != nil {
		return false
	}
	data := m.d.data
	i := m.next
	if data[i] != '"' {
		m.err = syntaxError(fmt.Errorf("expected a property name at offset %d", i))
		return false
	}
	kend, escaped, err := jsonscan.String(data, i)
	if err != nil {
		m.err = syntaxError(err)
		return false
	}
	if escaped || !utf8.Valid(data[i+1:kend-1]) {
		m.name = string(jsonscan.Name(data[i+1:kend-1], true))
	} else {
		m.name = m.d.substring(i+1, kend-1)
	}
	i = jsonscan.SkipSpace(data, kend)
	if i >= m.end || data[i] != ':' {
		m.err = syntaxError(fmt.Errorf("expected ':' after a property name at offset %d", i))
		return false
	}
	i = jsonscan.SkipSpace(data, i+1)
	vend, err := jsonscan.SkipValue(data[:m.end], i)
	if err != nil {
		m.err = syntaxError(err)
		return false
	}
	m.value = Span{i, vend}
	i = jsonscan.SkipSpace(data, vend)
	switch {
	case i < m.end && data[i] == ',':
		m.next = jsonscan.SkipSpace(data, i+1)
	case i == m.end-1 && data[i] == '}':
		m.finished = true
	default:
		m.err = syntaxError(fmt.Errorf("expected ',' or '}' after a property value at offset %d", i))
		return false
	}
	return true
}

// Name returns the current member's name.
func (m *Members) Name() string { return m.name }

// Value returns the current member's value.
func (m *Members) Value() Span { return m.value }

// Err returns the syntax error that ended the walk, if any.
func (m *Members) Err() error { return m.err }

// each calls fn with every item of the array v.
func (d *Decoder) each(v Span, fn func(i int, item Span) error) error {
	if d.data[v.Start] != '[' {
		return expected("array", d, v)
	}
	i := jsonscan.SkipSpace(d.data, v.Start+1)
	if d.data[i] == ']' {
		return nil
	}
	for index := 0; ; index++ {
		end, err := jsonscan.SkipValue(d.data[:v.End], i)
		if err != nil {
			return syntaxError(err)
		}
		if err := fn(index, Span{i, end}); err != nil {
			return At(strconv.Itoa(index), err)
		}
		i = jsonscan.SkipSpace(d.data, end)
		switch {
		case i < v.End && d.data[i] == ',':
			i = jsonscan.SkipSpace(d.data, i+1)
		case i == v.End-1 && d.data[i] == ']':
			return nil
		default:
			return syntaxError(fmt.Errorf("expected ',' or ']' after an array item at offset %d", i))
		}
	}
}

// Keep adds the member name: v, which no field declares, to extra (made
// when first needed), after checking v is valid JSON.
func (d *Decoder) Keep(extra map[string]json.RawMessage, name string, v Span) (map[string]json.RawMessage, error) {
	if err := d.valid(v); err != nil {
		return extra, At(name, err)
	}
	if extra == nil {
		extra = make(map[string]json.RawMessage, 4)
	}
	extra[name] = d.rawCopy(v)
	return extra, nil
}

// MemberString returns the string member name of the object v, for telling
// union variants apart by their discriminator.
func (d *Decoder) MemberString(v Span, name string) (string, bool) {
	m, err := d.Members(v)
	if err != nil {
		return "", false
	}
	var value string
	found := false
	for m.Next() {
		if m.Name() == name {
			found = String(&value, d, m.Value()) == nil // the last of repeated names wins
		}
	}
	return value, found && m.Err() == nil
}

// HasMembers reports whether the object v has every name, for telling union
// variants apart by shape.
func (d *Decoder) HasMembers(v Span, names ...string) bool {
	m, err := d.Members(v)
	if err != nil {
		return false
	}
	found := 0
	for m.Next() {
		for _, n := range names {
			if m.Name() == n {
				found++
				break
			}
		}
	}
	return m.Err() == nil && found >= len(names)
}

// syntaxError marks err as a fault in the JSON itself.
func syntaxError(err error) error { return &webhook.DecodeError{Err: fmt.Errorf("invalid JSON: %w", err)} }

// expected is the error for a value of another kind than want; a null
// says it is one where none is allowed.
func expected(want string, d *Decoder, v Span) error {
	if d.IsNull(v) {
		return &webhook.DecodeError{Err: fmt.Errorf("null where %s expected", want)}
	}
	return &webhook.DecodeError{Err: fmt.Errorf("expected %s, got %s", want, d.Kind(v))}
}

// JSONKinder is implemented by types whose Go kind does not say which JSON
// kind they decode from (Decimal is a struct holding a number, a generated
// union a struct holding one of several kinds).
type JSONKinder interface{ JSONKind() string }
