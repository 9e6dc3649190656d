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
// so that re-encoding writes null rather than leaving them out. The zero
// value is empty and ready to use.
type Nulls struct{ names map[string]bool }

// Set records that name arrived as null.
func (n *Nulls) Set(name string) {
	if n.names == nil {
		n.names = map[string]bool{}
	}
	n.names[name] = true
}

// Has reports whether name arrived as null.
func (n Nulls) Has(name string) bool { return n.names[name] }
