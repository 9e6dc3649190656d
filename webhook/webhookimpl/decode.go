package webhookimpl

import (
	"errors"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
)

// At places err one level down, under the property or index token: decoding
// code wraps each child's error on the way up, so the pointer is built from
// the failing value to the root.
func At(token string, err error) error {
	if err == nil {
		return nil
	}
	tok := jsonpointer.Escape(token)
	var de *webhook.DecodeError
	if errors.As(err, &de) {
		return &webhook.DecodeError{Pointer: "/" + tok + de.Pointer, Err: de.Err}
	}
	return &webhook.DecodeError{Pointer: "/" + tok, Err: err}
}

// Kind is the JSON kind of a raw value, told by its first byte.
type Kind = jsonscan.Kind

// The kinds Decoder.Kind tells apart.
const (
	KindObject  = jsonscan.KindObject
	KindArray   = jsonscan.KindArray
	KindString  = jsonscan.KindString
	KindNumber  = jsonscan.KindNumber
	KindBoolean = jsonscan.KindBoolean
	KindNull    = jsonscan.KindNull
	KindInvalid = jsonscan.KindInvalid
)
