package webhook

import (
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
)

// tazapay: header signature, base64 HMAC-SHA256 of the top-level id + body
// + top-level created_at, both as sent.
type tazapay struct{}

func init() { register(SchemeTazapay, tazapay{}) }

func (tazapay) env() []string { return []string{"SECRET"} }

func (tazapay) secretHeaders(Scheme) []string { return nil }

func (tazapay) signatureHeaders(s Scheme) []string { return []string{s.header("signature")} }

func (tazapay) keyed(s Scheme, secrets Secrets, _ VerifyOptions) (keyedScheme, error) {
	if err := need(s, "a secret", secrets.Secret); err != nil {
		return nil, err
	}
	return tazapayKeyed{header: s.header("signature"), secret: secrets.Secret}, nil
}

type tazapayKeyed struct{ header, secret string }

func (k tazapayKeyed) Verify(r Request) error {
	sig := r.Header.Get(k.header)
	if sig == "" {
		return sigErr("header %q is missing", k.header)
	}
	want, err := k.signature(r.Body)
	if err != nil {
		return err
	}
	if !equal(sig, want) {
		return sigErr("header %q does not match id + body + created_at", k.header)
	}
	return nil
}

func (k tazapayKeyed) Sign(h http.Header, _ string, body []byte) error {
	sig, err := k.signature(body)
	if err != nil {
		return err
	}
	h.Set(k.header, sig)
	return nil
}

// signature signs id + body + created_at, with both read from the body's
// top level exactly as sent (a string's contents, a number's digits).
func (k tazapayKeyed) signature(body []byte) (string, error) {
	var id, created []byte
	err := jsonscan.EachMember(body, func(key []byte, escaped bool, start, end int) bool {
		switch string(jsonscan.Name(key, escaped)) {
		case "id":
			id = body[start:end]
		case "created_at":
			created = body[start:end]
		}
		return true
	})
	if err != nil {
		return "", sigErr("the body is not a JSON object, so id and created_at cannot be read")
	}
	if id == nil || created == nil {
		return "", sigErr("the body lacks the top-level id or created_at the signature covers")
	}
	return base64.StdEncoding.EncodeToString(hmacSHA256([]byte(k.secret), asSent(id), body, asSent(created))), nil
}

// asSent is a JSON string's contents, or any other value's text.
func asSent(raw []byte) []byte {
	if s, ok := lossless.PlainString(raw); ok {
		return []byte(s)
	}
	var s string
	if jsonscan.KindOf(raw) == jsonscan.KindString && json.Unmarshal(raw, &s) == nil {
		return []byte(s)
	}
	return raw
}
