package webhookimpl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unsafe"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
)

// Decoder reads one JSON document for generated decoders in a single pass:
// a cursor moves through the bytes, and each value is read where it lies by
// the decoder of the Go type meant for it, which checks the bytes as it
// reads them; a document that decodes is valid JSON with no json.Valid pass
// first, and no value is skipped over to be read again. Every plain string
// and number the types keep, and every raw value (Extra, json.RawMessage),
// is a piece of the document when its owner hands it over (see Body), or
// else of a copy in the decoder's arena; optional scalars point into small
// slabs (see store). A decoded value therefore keeps its document or its
// chunks alive as long as any of its strings is; documents are deliveries
// of at most a few MiB.
type Decoder struct {
	data  []byte
	pos   int  // past the last value read; at a member's value once Member returns
	first bool // just past '{' or '[': the next member or item takes no comma
	depth int
	name  string
	err   error // the syntax error that ended a walk
	// watch is a top-level name whose occurrences Member counts, so that
	// ParseEvent may stop at the first discriminator and still learn of a
	// second; watchAt is where the last one's value starts (-1: none met),
	// to confirm a guess read from the end.
	watch   string
	watched int
	watchAt int
	// idName is the top-level member holding the delivery id, and idAt
	// where the decode last met its value (-1: not met).
	idName string
	idAt   int
	noID   bool // ParseEvent leaves the id out (Body.NoID)

	// str and raw are data itself when the decoder shares it (Body);
	// otherwise "" and nil, and what a value keeps is copied into the
	// arena.
	str string
	raw []byte
	store
}

// NewDecoder returns a decoder at the start of data, which the values it
// decodes do not share. Release returns it when the decode is over.
func NewDecoder(data []byte) *Decoder {
	d := decoders.Get().(*Decoder)
	d.data, d.pos, d.first, d.depth, d.idAt, d.watchAt = data, 0, false, 0, -1, -1
	return d
}

// newDecoder returns a decoder at the start of in; the values it decodes
// share in.Data when in allows it.
func newDecoder(in Body) *Decoder {
	d := NewDecoder(in.Data)
	if in.shared() && len(in.Data) > 0 {
		d.str, d.raw = unsafe.String(unsafe.SliceData(in.Data), len(in.Data)), in.Data
	}
	return d
}

// Release hands the decoder back for another decode to use, with what is
// left of its store; the values it decoded stay as they are. The decoder
// must not be used again.
func (d *Decoder) Release() {
	// What points elsewhere goes, so the pool keeps nothing alive but the
	// store; NewDecoder sets the rest.
	d.data, d.str, d.raw, d.name, d.err, d.watch, d.idName = nil, "", nil, "", nil, "", ""
	d.watched, d.noID = 0, false
	decoders.Put(d)
}

// End checks that nothing but whitespace follows the value just decoded.
func (d *Decoder) End() error {
	if i := jsonscan.SkipSpace(d.data, d.pos); i != len(d.data) {
		return syntaxError(fmt.Errorf("invalid character %q after the value at offset %d", d.data[i], i))
	}
	return nil
}

// Err returns the syntax error that ended a Member or Item walk, if any.
func (d *Decoder) Err() error { return d.err }

// Mark is a position to come back to, for trying a union's variants.
type Mark struct {
	pos   int
	first bool
	depth int
}

// Mark returns the current position.
func (d *Decoder) Mark() Mark { return Mark{jsonscan.SkipSpace(d.data, d.pos), d.first, d.depth} }

// Rewind goes back to m, forgetting any error met since.
func (d *Decoder) Rewind(m Mark) { d.pos, d.first, d.depth, d.err = m.pos, m.first, m.depth, nil }

// peek returns the index of the next value's first byte, or an error at
// the end of the data.
func (d *Decoder) peek() (int, error) {
	i := jsonscan.SkipSpace(d.data, d.pos)
	if i >= len(d.data) {
		return i, syntaxError(jsonscan.ErrTruncated)
	}
	return i, nil
}

// Kind returns the JSON kind of the next value.
func (d *Decoder) Kind() Kind {
	i, err := d.peek()
	if err != nil {
		return KindInvalid
	}
	return jsonscan.KindOf(d.data[i:])
}

// Null consumes a null and reports true, or leaves any other value (past
// the whitespace before it, which the value's decoder need not skip again).
func (d *Decoder) Null() bool {
	i := jsonscan.SkipSpace(d.data, d.pos)
	if i+4 <= len(d.data) && d.data[i] == 'n' && string(d.data[i:i+4]) == "null" {
		d.pos = i + 4
		return true
	}
	d.pos = i
	return false
}

// MaybeNull reports whether a null may come next (the cursor is at an n,
// or at whitespace or the end): generated code asks it, which costs no
// call, before Null, which does, so that a value that is no null, the
// common case, costs neither.
func (d *Decoder) MaybeNull() bool {
	if uint(d.pos) < uint(len(d.data)) {
		c := d.data[d.pos]
		return c == 'n' || c <= ' '
	}
	return true
}

// EmptyObject consumes an empty object and reports true, or leaves any
// other value, for an optional map that costs nothing when it is {}.
func (d *Decoder) EmptyObject() bool {
	i := jsonscan.SkipSpace(d.data, d.pos)
	if i >= len(d.data) || d.data[i] != '{' {
		return false
	}
	j := jsonscan.SkipSpace(d.data, i+1)
	if j >= len(d.data) || d.data[j] != '}' {
		return false
	}
	d.pos = j + 1
	return true
}

// Object enters the object that comes next; any other kind is an error.
func (d *Decoder) Object() error { return d.open('{', "object") }

// Array enters the array that comes next; any other kind is an error.
func (d *Decoder) Array() error { return d.open('[', "array") }

func (d *Decoder) open(bracket byte, kind string) error {
	i, err := d.peek()
	if err != nil {
		return err
	}
	if d.data[i] != bracket {
		return d.expected(kind, i)
	}
	if d.depth++; d.depth > jsonscan.MaxDepth {
		return syntaxError(fmt.Errorf("nesting deeper than %d", jsonscan.MaxDepth))
	}
	d.pos, d.first = i+1, true
	return nil
}

// Member moves to the next member of the object entered last and reads its
// name (Name); the cursor is then at the first byte of its value (past the
// whitespace before it, which the value's decoder need not skip). It
// returns false past the closing brace, or at a syntax error (Err).
func (d *Decoder) Member() bool {
	if d.err != nil {
		return false
	}
	// The comma or the closing brace (next, written out: this runs for
	// every member of every object), and the name's opening quote.
	data, i := d.data, d.pos
	if i >= len(data) || data[i] <= ' ' {
		if i = jsonscan.SkipSpace(data, i); i >= len(data) {
			d.err = syntaxError(jsonscan.ErrTruncated)
			return false
		}
	}
	switch c := data[i]; {
	case c == '}':
		d.pos, d.first = i+1, false
		d.depth--
		return false
	case d.first:
		d.first = false
	case c == ',':
		if i++; i >= len(data) || data[i] <= ' ' {
			i = jsonscan.SkipSpace(data, i)
		}
	default:
		d.err = syntaxError(fmt.Errorf("expected ',' or '}' at offset %d", i))
		return false
	}
	if i >= len(data) || data[i] != '"' {
		d.err = syntaxError(fmt.Errorf("expected a property name at offset %d", i))
		return false
	}
	end, plain := jsonscan.PlainASCII(data, i)
	if plain {
		d.name = unsafe.String(unsafe.SliceData(data[i+1:]), end-1-(i+1))
	} else if end = d.escapedName(i); end < 0 {
		return false
	}
	// The colon, most often right after the name, and the value's start.
	i = end
	if i >= len(data) || data[i] != ':' {
		if i = jsonscan.SkipSpace(data, i); i >= len(data) || data[i] != ':' {
			d.err = syntaxError(fmt.Errorf("expected ':' after a property name at offset %d", i))
			return false
		}
	}
	if i += 2; i < len(data) && data[i-1] == ' ' && data[i] > ' ' {
		d.pos = i // one space after the colon, as indented documents have
	} else {
		d.pos = jsonscan.SkipSpace(data, i-1)
	}
	if d.depth == 1 && (d.watch != "" || d.idName != "") {
		d.noteTopLevel()
	}
	return true
}

// escapedName reads a name with escapes or bytes past ASCII at i as
// encoding/json does and returns the index past it, or -1 at a syntax error.
func (d *Decoder) escapedName(i int) int {
	end, _, err := jsonscan.String(d.data, i)
	if err != nil {
		d.err = syntaxError(err)
		return -1
	}
	d.name = string(jsonscan.Name(d.data[i+1:end-1], true))
	return end
}

// noteTopLevel counts a top-level member called watch and notes where its
// value starts, and the delivery id's.
func (d *Decoder) noteTopLevel() {
	if d.watch != "" && d.name == d.watch {
		d.watched++
		d.watchAt = d.pos
	}
	if d.idName != "" && d.name == d.idName {
		d.idAt = d.pos
	}
}

// Name returns the current member's name, as encoding/json reads it, for
// choosing a field: it may be a view of a buffer the caller reuses, so a
// value that keeps it (a map key) takes KeptName.
func (d *Decoder) Name() string { return d.name }

// KeptName returns the current member's name for a decoded value to keep.
func (d *Decoder) KeptName() string { return d.kept(d.name) }

// kept returns s, copied into the arena when it is a view of the
// caller's buffer.
func (d *Decoder) kept(s string) string {
	if d.str != "" || !d.isView(s) {
		return s
	}
	return d.keep(s)
}

// Item moves to the next item of the array entered last; false past the
// closing bracket, or at a syntax error (Err).
func (d *Decoder) Item() bool { return d.next(']') }

// next reads the comma before the next member or item, or the closer,
// leaving the cursor at what follows.
func (d *Decoder) next(closer byte) bool {
	if d.err != nil {
		return false
	}
	data, i := d.data, d.pos
	if i >= len(data) || isSpace(data[i]) {
		if i = jsonscan.SkipSpace(data, i); i >= len(data) {
			d.err = syntaxError(jsonscan.ErrTruncated)
			return false
		}
	}
	switch c := data[i]; {
	case c == closer:
		d.pos, d.first = i+1, false
		d.depth--
		return false
	case d.first:
		d.first = false
	case c == ',':
		i++
		if i >= len(data) || isSpace(data[i]) {
			i = jsonscan.SkipSpace(data, i)
		}
	default:
		d.err = syntaxError(fmt.Errorf("expected ',' or %q at offset %d", closer, i))
		return false
	}
	d.pos = i
	return true
}

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return jsonscan.IsSpace(c) }

// skip passes over the next value, checking it is valid JSON, and returns
// its span, for values no typed decoder reads.
func (d *Decoder) skip() (start, end int, err error) {
	start, err = d.peek()
	if err != nil {
		return 0, 0, err
	}
	end, err = jsonscan.SkipValid(d.data, start)
	if err != nil {
		return 0, 0, syntaxError(err)
	}
	d.pos = end
	return start, end, nil
}

// Keep adds the member name, which no field declares, with its value as
// sent, to extra (made when first needed).
func (d *Decoder) Keep(extra map[string]json.RawMessage, name string) (map[string]json.RawMessage, error) {
	name = d.kept(name)
	start, end, err := d.skip()
	if err != nil {
		return extra, At(name, err)
	}
	if extra == nil {
		extra = make(map[string]json.RawMessage, 4)
	}
	extra[name] = d.rawCopy(start, end)
	return extra, nil
}

// MemberString returns the string member name of the object that comes
// next, without moving, for choosing a union's variant by its
// discriminator. Like encoding/json, the last of repeated names wins.
func (d *Decoder) MemberString(name string) (value string, ok bool) {
	i, err := d.peek()
	if err != nil {
		return "", false
	}
	err = jsonscan.EachMember(d.data[i:], func(key []byte, escaped bool, start, end int) bool {
		if string(jsonscan.Name(key, escaped)) == name {
			value, ok = d.stringAt(i+start, i+end)
		}
		return true
	})
	return value, ok && err == nil
}

// HasMembers reports whether the object that comes next has every name,
// without moving, for choosing a union's variant by shape.
func (d *Decoder) HasMembers(names ...string) bool {
	i, err := d.peek()
	if err != nil {
		return false
	}
	found := 0
	err = jsonscan.EachMember(d.data[i:], func(key []byte, escaped bool, _, _ int) bool {
		for _, n := range names {
			if string(jsonscan.Name(key, escaped)) == n {
				found++
				break
			}
		}
		return true
	})
	return err == nil && found >= len(names)
}

// Shape is what a union's object variant declares: its members, and those
// it requires.
type Shape struct {
	Declared, Required []string
}

// Closest returns which of shapes the object at the decoder fits best, as
// payhooks validate decides a union of closed objects: of the shapes whose
// required members it has, the one declaring the most of its members (the
// fewest it does not declare), the first on a tie; -1 when none has its
// required members or the value is no object.
func (d *Decoder) Closest(shapes ...Shape) int {
	i, err := d.peek()
	if err != nil || d.data[i] != '{' {
		return -1
	}
	undeclared := make([]int, len(shapes))
	found := make([]int, len(shapes))
	err = jsonscan.EachMember(d.data[i:], func(key []byte, escaped bool, _, _ int) bool {
		name := string(jsonscan.Name(key, escaped))
		for k, s := range shapes {
			if !slices.Contains(s.Declared, name) {
				undeclared[k]++
			}
			if slices.Contains(s.Required, name) {
				found[k]++
			}
		}
		return true
	})
	best := -1
	for k, s := range shapes {
		if err == nil && found[k] >= len(s.Required) && (best < 0 || undeclared[k] < undeclared[best]) {
			best = k
		}
	}
	return best
}

// substring returns data[start:end] as a string a decoded value may keep:
// a piece of the document when the decoder shares it, else a copy in the
// decoder's arena.
func (d *Decoder) substring(start, end int) string {
	if d.str != "" {
		return d.str[start:end]
	}
	b := d.arenaCopy(start, end)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// rawCopy returns data[start:end] as bytes a decoded value may keep, as
// substring does; capped, so that an append copies.
func (d *Decoder) rawCopy(start, end int) []byte {
	if d.raw != nil {
		return d.raw[start:end:end]
	}
	return d.arenaCopy(start, end)
}

// isView reports whether s lies in data (a view, not a kept copy).
func (d *Decoder) isView(s string) bool {
	if len(s) == 0 || len(d.data) == 0 {
		return false
	}
	p, base := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(d.data)))
	return p >= base && p < base+uintptr(len(d.data))
}

// keep copies s into the arena.
func (d *Decoder) keep(s string) string {
	b := d.arenaAppend(len(s))
	copy(b, s)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// arenaCopy copies data[start:end] into the arena.
func (d *Decoder) arenaCopy(start, end int) []byte {
	b := d.arenaAppend(end - start)
	copy(b, d.data[start:end])
	return b
}

// syntaxError marks err as a fault in the JSON itself.
func syntaxError(err error) error {
	return &webhook.DecodeError{Err: fmt.Errorf("invalid JSON: %w", err)}
}

// expected is the error for a value at i of another kind than want; a null
// says it is one where none is allowed.
func (d *Decoder) expected(want string, i int) error {
	if bytes.HasPrefix(d.data[i:], []byte("null")) {
		return &webhook.DecodeError{Err: fmt.Errorf("null where %s expected", want)}
	}
	return &webhook.DecodeError{Err: fmt.Errorf("expected %s, got %s", want, jsonscan.KindOf(d.data[i:]))}
}

// JSONKinder is implemented by types whose Go kind does not say which JSON
// kind they decode from (Decimal is a struct holding a number, a generated
// union a struct holding one of several kinds).
type JSONKinder interface{ JSONKind() string }

// emptyRest consumes the closer of the container just entered when nothing
// comes before it.
func (d *Decoder) emptyRest(closer byte) bool {
	i := jsonscan.SkipSpace(d.data, d.pos)
	if i < len(d.data) && d.data[i] == closer {
		d.pos, d.first = i+1, false
		d.depth--
		return true
	}
	return false
}
