package infer

import (
	"bytes"
	"encoding/json"
)

// Object is a JSON object that keeps its members in the order they were
// set, so the schemas written read like the bundled ones ($schema, $id,
// title first; properties before $defs) rather than sorted.
type Object struct {
	keys   []string
	values map[string]any
}

// Set adds or replaces a member.
func (o *Object) Set(key string, value any) {
	if o.values == nil {
		o.values = map[string]any{}
	}
	if _, ok := o.values[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.values[key] = value
}

// Get returns a member.
func (o *Object) Get(key string) (any, bool) {
	v, ok := o.values[key]
	return v, ok
}

// MarshalJSON writes the members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		key, err := marshal(k)
		if err != nil {
			return nil, err
		}
		value, err := marshal(o.values[k])
		if err != nil {
			return nil, err
		}
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(value)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Indent writes v as the bundled schemas are written: two spaces, a final
// newline.
func Indent(v any) ([]byte, error) {
	data, err := IndentAt(v, "")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// IndentAt writes v indented by two spaces per level, its lines after the
// first beginning with prefix: a value to splice into a document at that
// indentation.
func IndentAt(v any, prefix string) ([]byte, error) {
	data, err := marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, prefix, "  "); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// marshal is json.Marshal without escaping <, > and &, which schema text
// (descriptions, patterns) holds as written.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
