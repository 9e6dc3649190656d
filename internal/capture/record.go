package capture

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/payhooks/payhooks/webhook"
)

// Of returns the capture file of a handler's capture record (see
// webhook.WithCapture) and its name.
func Of(c *webhook.Capture) (name string, f File) {
	f = File{
		ReceivedAt: c.ReceivedAt.UTC().Format(time.RFC3339Nano),
		Method:     c.Method,
		Path:       c.Path,
		Headers:    c.Header,
		Body:       string(c.Body),
		Provider:   c.Provider,
		Event:      c.Event,
		DeliveryID: c.DeliveryID,
	}
	if f.Headers == nil {
		f.Headers = map[string][]string{}
	}
	f.Findings = c.Findings
	return NameOf(c.Provider, c.DeliveryID, c.KeyedOnBody, c.Body), f
}

// NameOf is the name of a delivery's capture: Name of its id, or BodyName
// of its body's webhook.BodyID when it is keyed on its body (keyedOnBody:
// the id is that BodyID already, so the body is not hashed again) or has
// no id.
func NameOf(provider, deliveryID string, keyedOnBody bool, body []byte) string {
	switch {
	case keyedOnBody && deliveryID != "":
		return BodyName(provider, deliveryID)
	case deliveryID == "":
		return BodyName(provider, webhook.BodyID(body))
	}
	return Name(provider, deliveryID)
}

// Encode is the bytes of a capture file: indented JSON and a newline, the
// same on disk and in an object store.
func Encode(f File) ([]byte, error) {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Recorded says whether f holds the delivery a capture named name is of:
// a torn or foreign file under that name is not acknowledged as the
// delivery's capture. A capture written before captures recorded their
// delivery id is taken as the delivery's when it parses.
func Recorded(f File, name string) bool {
	if f.Provider == "" {
		return f.Method != "" && f.Path != ""
	}
	body := []byte(f.Body)
	return NameOf(f.Provider, f.DeliveryID, webhook.KeyedOnBody(f.DeliveryID, body), body) == name
}

// Segment is a provider's name as one segment of a path or object key:
// the name itself when it is plain, as every bundled provider's is.
func Segment(provider string) string {
	if plain(provider, 40) && !strings.HasPrefix(provider, ".") {
		return provider
	}
	sum := sha256.Sum256([]byte(provider))
	return readable(provider, 40) + "~" + hex.EncodeToString(sum[:8])
}
