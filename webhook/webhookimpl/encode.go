package webhookimpl

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// ObjectWriter builds the JSON object a generated MarshalJSON returns:
// declared fields first, in the order written, then the unknown properties
// that decoding kept, sorted by name.
type ObjectWriter struct {
	buf bytes.Buffer
	err error
	n   int
}

// Field writes one member, marshalling value with encoding/json.
func (w *ObjectWriter) Field(name string, value any) {
	if w.err != nil {
		return
	}
	data, err := json.Marshal(value)
	if err != nil {
		w.err = At(name, err)
		return
	}
	w.raw(name, data)
}

// Null writes name: null.
func (w *ObjectWriter) Null(name string) { w.raw(name, []byte("null")) }

// Extra writes the unknown properties kept by decoding.
func (w *ObjectWriter) Extra(extra map[string]json.RawMessage) {
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		w.raw(k, extra[k])
	}
}

func (w *ObjectWriter) raw(name string, data []byte) {
	if w.n == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	w.n++
	key, _ := json.Marshal(name)
	w.buf.Write(key)
	w.buf.WriteByte(':')
	w.buf.Write(data)
}

// Bytes returns the object, or the first error.
func (w *ObjectWriter) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.n == 0 {
		return []byte("{}"), nil
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

// Nulls remembers which optional properties arrived as an explicit null,
// by the field's index in its struct, so that re-encoding writes null
// rather than leaving them out. The zero value is empty and ready to use;
// it allocates only for a struct of more than 64 fields.
type Nulls struct {
	low  uint64
	high []uint64
}

// Set records that field i arrived as null.
func (n *Nulls) Set(i int) {
	if i < 64 {
		n.low |= 1 << i
		return
	}
	i -= 64
	for len(n.high) <= i/64 {
		n.high = append(n.high, 0)
	}
	n.high[i/64] |= 1 << (i % 64)
}

// Has reports whether field i arrived as null.
func (n Nulls) Has(i int) bool {
	if i < 64 {
		return n.low&(1<<i) != 0
	}
	i -= 64
	return i/64 < len(n.high) && n.high[i/64]&(1<<(i%64)) != 0
}
