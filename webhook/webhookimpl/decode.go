package webhookimpl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
	"github.com/payhooks/payhooks/webhook"
)

// At places err one level down, under the property or index token: decoding
// code wraps each child's error on the way up, so the pointer is built from
// the failing value to the root.
func At(token string, err error) error {
	if err == nil {
		return nil
	}
	tok := strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
	var de *webhook.DecodeError
	if errors.As(err, &de) {
		return &webhook.DecodeError{Pointer: "/" + tok + de.Pointer, Err: de.Err}
	}
	return &webhook.DecodeError{Pointer: "/" + tok, Err: err}
}

// IsNull reports whether raw is the JSON null.
func IsNull(raw []byte) bool { return KindOf(raw) == KindNull }

// Fields splits a JSON object into its members; the values share data's
// memory (Own copies the ones a type keeps). A value of another kind is a
// DecodeError. Like encoding/json, a repeated name keeps its last value.
func Fields(data []byte) (map[string]json.RawMessage, error) {
	fields := make(map[string]json.RawMessage, 16)
	err := jsonscan.EachMember(data, func(key []byte, escaped bool, start, end int) bool {
		fields[string(jsonscan.Name(key, escaped))] = data[start:end]
		return true
	})
	if err != nil {
		return nil, &webhook.DecodeError{Err: err}
	}
	return fields, nil
}

// Own copies the values of the members a type keeps (its Extra), so they
// do not share the memory of the body they were decoded from.
func Own(fields map[string]json.RawMessage) map[string]json.RawMessage {
	if len(fields) == 0 {
		return nil
	}
	size := 0
	for _, v := range fields {
		size += len(v)
	}
	buf := make([]byte, 0, size)
	for k, v := range fields {
		start := len(buf)
		buf = append(buf, v...)
		fields[k] = buf[start:len(buf):len(buf)]
	}
	return fields
}

// Decode decodes raw into v (a pointer) with encoding/json and turns its
// errors into DecodeErrors that say what was expected and what came. A JSON
// null is accepted only where v can hold it (a pointer, slice, map or
// json.RawMessage); anywhere else it would silently leave a zero value, so it
// is an error.
func Decode(raw []byte, v any) error {
	if IsNull(raw) && !nullable(v) {
		return &webhook.DecodeError{Err: fmt.Errorf("null where %s expected", goKind(v))}
	}
	if done, err := decodeFast(raw, v); done {
		return err
	}
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		ptr := ""
		if te.Field != "" {
			ptr = "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		return &webhook.DecodeError{Pointer: ptr, Err: fmt.Errorf("expected %s, got %s", kindName(te.Type), valueKind(te.Value))}
	}
	var de *webhook.DecodeError
	if errors.As(err, &de) {
		return de
	}
	return &webhook.DecodeError{Err: err}
}

// DecodeSlice decodes a JSON array element by element, so an error names
// the index.
func DecodeSlice[T any](raw []byte, out *[]T) error {
	if IsNull(raw) {
		*out = nil
		return nil
	}
	items, err := jsonscan.Items(raw)
	if err != nil {
		return &webhook.DecodeError{Err: err}
	}
	s := make([]T, len(items))
	for i, item := range items {
		if err := Decode(item, &s[i]); err != nil {
			return At(strconv.Itoa(i), err)
		}
	}
	*out = s
	return nil
}

// DecodeMap decodes a JSON object of like values, so an error names the key.
func DecodeMap[T any](raw []byte, out *map[string]T) error {
	if IsNull(raw) {
		*out = nil
		return nil
	}
	fields, err := Fields(raw)
	if err != nil {
		return err
	}
	m := make(map[string]T, len(fields))
	for k, item := range fields {
		var v T
		if err := Decode(item, &v); err != nil {
			return At(k, err)
		}
		m[k] = v
	}
	*out = m
	return nil
}

// JSONKinder is implemented by types whose Go kind does not say which JSON
// kind they decode from (Decimal is a struct holding a number, a generated
// union a struct holding one of several kinds).
type JSONKinder interface{ JSONKind() string }

var (
	timeType   = reflect.TypeOf(time.Time{})
	kinderType = reflect.TypeOf((*JSONKinder)(nil)).Elem()
)

// nullable reports whether the value v points to can hold a JSON null.
func nullable(v any) bool {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return true
	}
	switch t.Elem().Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

func goKind(v any) string {
	t := reflect.TypeOf(v)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return kindName(t)
}

// kindName names the JSON kind a Go type decodes from.
func kindName(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	if t == timeType {
		return "string"
	}
	if t.Implements(kinderType) {
		return reflect.Zero(t).Interface().(JSONKinder).JSONKind()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}

// valueKind turns encoding/json's description of the value it met
// ("string", "number 1.5", "bool") into a JSON kind.
func valueKind(v string) string {
	v, _, _ = strings.Cut(v, " ")
	if v == "bool" {
		return "boolean"
	}
	return v
}

// HasFields reports whether data is a JSON object holding every name, for
// telling union variants apart by shape.
func HasFields(data []byte, names ...string) bool {
	fields, err := Fields(data)
	if err != nil {
		return false
	}
	for _, n := range names {
		if _, ok := fields[n]; !ok {
			return false
		}
	}
	return true
}

// decodeFast decodes the common leaves (plain strings, booleans, integers,
// and types with their own UnmarshalJSON) without encoding/json's
// reflection and validation pass, and absorbs the drift that loses nothing:
// a number where a string is declared (its digits as sent), a quoted number
// where a number is declared, "true" or "false" where a boolean is. done is
// false when it does not apply.
func decodeFast(raw []byte, v any) (done bool, err error) {
	switch t := v.(type) {
	case *string:
		if s, ok := lossless.StringText(raw); ok {
			*t = s
			return true, nil
		}
	case **string:
		if s, ok := lossless.StringText(raw); ok {
			*t = &s
			return true, nil
		}
	case *bool:
		if b, ok := lossless.BoolText(raw); ok {
			*t = b
			return true, nil
		}
	case **bool:
		if b, ok := lossless.BoolText(raw); ok {
			*t = &b
			return true, nil
		}
	case *int64:
		n, err := integer(raw)
		if err == nil {
			*t = n
		}
		return true, err
	case **int64:
		if IsNull(raw) {
			*t = nil
			return true, nil
		}
		n, err := integer(raw)
		if err == nil {
			*t = &n
		}
		return true, err
	case json.Unmarshaler:
		return true, t.UnmarshalJSON(bytes.TrimSpace(raw))
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false, nil
	}
	target := rv.Elem()
	if target.Kind() == reflect.Pointer {
		if IsNull(raw) {
			target.SetZero()
			return true, nil
		}
		n := reflect.New(target.Type().Elem())
		if done, err := decodeFast(raw, n.Interface()); done {
			if err == nil {
				target.Set(n)
			}
			return true, err
		}
		return false, nil
	}
	if target.Kind() == reflect.String {
		if s, ok := lossless.StringText(raw); ok {
			target.SetString(s)
			return true, nil
		}
	}
	return false, nil
}

// integer is lossless.Integer with its error placed for At.
func integer(raw []byte) (int64, error) {
	n, err := lossless.Integer(bytes.TrimSpace(raw))
	if err != nil {
		return 0, &webhook.DecodeError{Err: err}
	}
	return n, nil
}

// Kind is the JSON kind of a raw value, told by its first byte.
type Kind = jsonscan.Kind

// The kinds KindOf tells apart.
const (
	KindObject  = jsonscan.KindObject
	KindArray   = jsonscan.KindArray
	KindString  = jsonscan.KindString
	KindNumber  = jsonscan.KindNumber
	KindBoolean = jsonscan.KindBoolean
	KindNull    = jsonscan.KindNull
	KindInvalid = jsonscan.KindInvalid
)

// KindOf returns the JSON kind of raw.
func KindOf(raw []byte) Kind { return jsonscan.KindOf(raw) }
