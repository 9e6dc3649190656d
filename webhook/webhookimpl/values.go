package webhookimpl

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
	"github.com/payhooks/payhooks/webhook"
)

// The decoders below have one shape, func(out *T, d *Decoder, v Span)
// error, so generated code passes them to Ptr, Slice and Map as values.
// Each checks the bytes it reads (a document that decodes is valid JSON)
// and absorbs the drift that loses nothing: a number where a string is
// declared (its digits as sent), a string holding exactly a number where a
// number is, "true" or "false" where a boolean is.

// String decodes a string, or a number's digits as sent.
func String[T ~string](out *T, d *Decoder, v Span) error {
	switch d.data[v.Start] {
	case '"':
		s, err := d.text(v)
		if err != nil {
			return err
		}
		*out = T(s)
		return nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if err := d.number(v); err != nil {
			return err
		}
		*out = T(d.substring(v.Start, v.End))
		return nil
	}
	return expected("string", d, v)
}

// Bool decodes true or false, also quoted as drift sends them.
func Bool(out *bool, d *Decoder, v Span) error {
	switch string(d.data[v.Start:v.End]) {
	case "true", `"true"`:
		*out = true
		return nil
	case "false", `"false"`:
		*out = false
		return nil
	}
	return expected("boolean", d, v)
}

// Int64 decodes an integer that fits 64 bits: a JSON integer, a number with
// a zero fraction, or a string holding exactly one of those.
func Int64[T ~int64](out *T, d *Decoder, v Span) error {
	switch d.data[v.Start] {
	case '"':
		if _, err := d.text(v); err != nil {
			return err
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if err := d.number(v); err != nil {
			return err
		}
	default:
		return expected("integer", d, v)
	}
	n, err := lossless.Integer(d.data[v.Start:v.End])
	if err != nil {
		return &webhook.DecodeError{Err: err}
	}
	*out = T(n)
	return nil
}

// Decimal decodes a number exactly as sent, also from a string holding
// exactly one.
func Decimal(out *webhook.Decimal, d *Decoder, v Span) error {
	var digits string
	switch d.data[v.Start] {
	case '"':
		s, err := d.text(v)
		if err != nil {
			return err
		}
		digits = s
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if err := d.number(v); err != nil {
			return err
		}
		digits = d.substring(v.Start, v.End)
	default:
		return expected("number", d, v)
	}
	dec, err := webhook.ParseDecimal(digits)
	if err != nil {
		return &webhook.DecodeError{Err: fmt.Errorf("expected number, got string")}
	}
	*out = dec
	return nil
}

// Unmarshal decodes a type through its own UnmarshalJSON (time.Time,
// webhook.DateTime) after checking the value is valid JSON; a null, which
// such types would silently take as their zero value, is an error.
func Unmarshal[T any, PT interface {
	*T
	json.Unmarshaler
}](out *T, d *Decoder, v Span) error {
	if d.IsNull(v) {
		kind := "string" // time.Time, the one such type without JSONKind
		if k, ok := any(*new(T)).(JSONKinder); ok {
			kind = k.JSONKind()
		}
		return expected(kind, d, v)
	}
	if err := d.valid(v); err != nil {
		return err
	}
	return PT(out).UnmarshalJSON(d.data[v.Start:v.End])
}

// Raw keeps any valid JSON value as sent, null included.
func Raw(out *json.RawMessage, d *Decoder, v Span) error {
	if err := d.valid(v); err != nil {
		return err
	}
	*out = d.rawCopy(v)
	return nil
}

// Ptr decodes into a new T, or sets nil for a null.
func Ptr[T any](out **T, d *Decoder, v Span, decode func(*T, *Decoder, Span) error) error {
	if d.IsNull(v) {
		*out = nil
		return nil
	}
	p := new(T)
	if err := decode(p, d, v); err != nil {
		return err
	}
	*out = p
	return nil
}

// Slice decodes an array item by item, so an error names the index; a null
// is a nil slice, an empty array an empty one.
func Slice[T any](out *[]T, d *Decoder, v Span, decode func(*T, *Decoder, Span) error) error {
	if d.IsNull(v) {
		*out = nil
		return nil
	}
	s := []T{}
	err := d.each(v, func(_ int, item Span) error {
		s = append(s, *new(T))
		return decode(&s[len(s)-1], d, item)
	})
	if err != nil {
		return err
	}
	*out = s
	return nil
}

// Map decodes an object of like values, so an error names the key; a null
// is a nil map. Like encoding/json, a repeated name keeps its last value.
func Map[T any](out *map[string]T, d *Decoder, v Span, decode func(*T, *Decoder, Span) error) error {
	if d.IsNull(v) {
		*out = nil
		return nil
	}
	members, err := d.Members(v)
	if err != nil {
		return err
	}
	m := map[string]T{}
	for members.Next() {
		var item T
		if err := decode(&item, d, members.Value()); err != nil {
			return At(members.Name(), err)
		}
		m[members.Name()] = item
	}
	if err := members.Err(); err != nil {
		return err
	}
	*out = m
	return nil
}

// text returns the string v holds: a substring of the document when it is
// plain, else as encoding/json reads it (escapes resolved, invalid UTF-8
// replaced).
func (d *Decoder) text(v Span) (string, error) {
	end, escaped, err := jsonscan.String(d.data, v.Start)
	if err != nil || end != v.End {
		return "", syntaxError(fmt.Errorf("malformed string at offset %d", v.Start))
	}
	if inner := d.data[v.Start+1 : v.End-1]; !escaped && utf8.Valid(inner) {
		return d.substring(v.Start+1, v.End-1), nil
	}
	var s string
	if err := json.Unmarshal(d.data[v.Start:v.End], &s); err != nil {
		return "", syntaxError(err)
	}
	return s, nil
}

// number checks v is exactly one JSON number.
func (d *Decoder) number(v Span) error {
	end, err := jsonscan.Number(d.data, v.Start)
	if err != nil || end != v.End {
		return syntaxError(fmt.Errorf("malformed number at offset %d", v.Start))
	}
	return nil
}
