package webhook

import (
	"encoding/hex"
	"net/http"
	"strings"
)

// ivy: header X-Ivy-Signature, lowercase hex HMAC-SHA256 of the body
// (Augustus, formerly Ivy).
type ivy struct{}

func init() { register(SchemeIvy, ivy{}) }

func (ivy) env() []string { return []string{"SECRET"} }

func (ivy) secretHeaders(Scheme) []string { return nil }

func (ivy) signatureHeaders(s Scheme) []string { return []string{s.header("X-Ivy-Signature")} }

func (ivy) keyed(s Scheme, secrets Secrets, _ VerifyOptions) (keyedScheme, error) {
	if err := need(s, "a secret", secrets.Secret); err != nil {
		return nil, err
	}
	return ivyKeyed{header: s.header("X-Ivy-Signature"), secret: []byte(secrets.Secret)}, nil
}

type ivyKeyed struct {
	header string
	secret []byte
}

func (k ivyKeyed) Verify(r Request) error {
	sig := r.Header.Get(k.header)
	if sig == "" {
		return sigErr("header %q is missing", k.header)
	}
	if !equal(strings.ToLower(sig), hex.EncodeToString(hmacSHA256(k.secret, r.Body))) {
		return sigErr("header %q does not match the body", k.header)
	}
	return nil
}

func (k ivyKeyed) Sign(h http.Header, _ string, body []byte) error {
	h.Set(k.header, hex.EncodeToString(hmacSHA256(k.secret, body)))
	return nil
}
