// Package jxrt holds what the go-faster/jx decoders of the oapi-codegen
// peer structs share, as ogen's own runtime (ogen-go/ogen/json) does for
// the code ogen generates: date-time strings, and values of any
// type decoded the way encoding/json decodes into an interface{}.
package jxrt

import (
	"time"

	"github.com/go-faster/errors"
	"github.com/go-faster/jx"
)

// DateTime decodes an RFC 3339 date-time string, as ogen's
// json.DecodeDateTime does.
func DateTime(d *jx.Decoder) (time.Time, error) {
	s, err := d.Str()
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.Wrap(err, "date-time")
	}
	return t, nil
}

// Any decodes a value of any type as encoding/json does into an
// interface{}: float64 numbers, map[string]any objects, []any arrays.
func Any(d *jx.Decoder) (any, error) {
	switch d.Next() {
	case jx.String:
		return d.Str()
	case jx.Number:
		return d.Float64()
	case jx.Bool:
		return d.Bool()
	case jx.Null:
		return nil, d.Null()
	case jx.Array:
		a := []any{}
		err := d.Arr(func(d *jx.Decoder) error {
			v, err := Any(d)
			a = append(a, v)
			return err
		})
		return a, err
	case jx.Object:
		m := map[string]any{}
		err := d.ObjBytes(func(d *jx.Decoder, k []byte) error {
			v, err := Any(d)
			m[string(k)] = v
			return err
		})
		return m, err
	}
	return nil, errors.Errorf("unexpected %s", d.Next())
}
