package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
)

// BodyDeliveryID, in place of the pointer to a delivery id
// (Addressing.DeliveryID), keys a provider's deliveries on the SHA-256 of
// their exact body: for a provider that documents no id kept across
// retries, since a retry repeats the body byte for byte.
const BodyDeliveryID = "body"

// BodyID is what a delivery is known by when it is keyed on its body (its
// provider's delivery id is BodyDeliveryID, or it carries no id): "sha256-"
// and the hex SHA-256 of the exact body. Any string may be a provider's
// id, this one too, so whatever keeps both apart by kind, not by spelling:
// a handler's deliveries are all keyed one way, and payhooks listen
// captures a body under a file name no id can have (capture.BodyName).
func BodyID(body []byte) string {
	sum := sha256.Sum256(body)
	return bodyIDPrefix + hex.EncodeToString(sum[:])
}

const bodyIDPrefix = "sha256-"

// IsBodyID says whether id has the shape of a BodyID ("sha256-" and 64
// hex digits). A provider's id may have it too: KeyedOnBody tells them
// apart.
func IsBodyID(id string) bool {
	if len(id) != len(bodyIDPrefix)+2*sha256.Size || id[:len(bodyIDPrefix)] != bodyIDPrefix {
		return false
	}
	for _, c := range id[len(bodyIDPrefix):] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// KeyedOnBody says whether id is the BodyID of body, for a delivery whose
// provider's addressing is not at hand (a capture read back, the core,
// which knows no Addressing): one SHA-256 of the body, and only when id has
// the shape. A provider's id never is its own body's hash, so an id of that
// shape is still told apart from a body key.
func KeyedOnBody(id string, body []byte) bool {
	return IsBodyID(id) && id == BodyID(body)
}

// StringAt returns the string at a JSON pointer of body, for reading a
// discriminator or a delivery id before the body is decoded. ok is false
// when there is none or it is not a string.
func StringAt(body []byte, pointer string) (value string, ok bool) {
	start, end, err := jsonscan.Lookup(body, pointer)
	if err != nil {
		return "", false
	}
	if s, ok := lossless.PlainString(body[start:end]); ok {
		return s, true // the common case, without encoding/json
	}
	return unquote(body[start:end])
}

// unquote decodes a JSON string as encoding/json does (escapes, invalid
// UTF-8 as U+FFFD). Apart from StringAt, so that only this path puts a
// string on the heap for encoding/json to write.
func unquote(raw []byte) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// SetString returns a copy of body with the string at pointer replaced by
// value and every other byte unchanged, for sending a new delivery of a
// captured or example body (a fresh delivery id) without re-encoding it.
func SetString(body []byte, pointer, value string) ([]byte, error) {
	start, end, err := jsonscan.Lookup(body, pointer)
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", pointer, err)
	}
	if jsonscan.KindOf(body[start:end]) != jsonscan.KindString {
		return nil, fmt.Errorf("set %s: the value is not a string", pointer)
	}
	quoted, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)-(end-start)+len(quoted))
	out = append(append(append(out, body[:start]...), quoted...), body[end:]...)
	return out, nil
}
