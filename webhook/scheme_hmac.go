package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strings"
)

// HMAC declares an HMAC signature by its parameters, so that a provider
// signing this way needs a schema, not Go code (x-payhooks-provider
// signature {"scheme": "hmac", "header": …, "hmac": {…}}).
type HMAC struct {
	// Digest is "sha256" (the default) or "sha512".
	Digest string `json:"digest,omitempty"`
	// Encoding is how the signature is written: "hex" (the default,
	// compared without regard to case) or "base64".
	Encoding string `json:"encoding,omitempty"`
	// Prefix comes before the encoded signature ("sha256=").
	Prefix string `json:"prefix,omitempty"`
	// Key is how the secret is written: "raw" (the default: its bytes are
	// the key), "hex" or "base64".
	Key string `json:"key,omitempty"`
	// Message is what is signed: "" or "{body}" for the raw body, else a
	// template of literal text, {body} and {header:Name} (a request
	// header's value), such as "{header:webhook-id}.{body}".
	Message string `json:"message,omitempty"`
}

// The named HMAC presets: a provider's published formula under one name.
var hmacPresets = map[string]HMAC{
	// Augustus (formerly Ivy): lowercase hex HMAC-SHA256 of the body.
	SchemeIvy: {},
	// Adyen (Balance Platform, Management and other webhooks sent with
	// HmacSignature): base64 HMAC-SHA256 of the raw body, keyed with the
	// hex-decoded HMAC key from Adyen's Customer Area.
	SchemeAdyenHMAC: {Encoding: "base64", Key: "hex"},
}

var hmacPresetHeaders = map[string]string{SchemeIvy: "X-Ivy-Signature", SchemeAdyenHMAC: "HmacSignature"}

func init() {
	register(SchemeHMAC, hmacKind{})
	for name := range hmacPresets {
		register(name, hmacKind{preset: name})
	}
}

// hmacKind is the generic HMAC scheme (preset "") or one of its presets.
type hmacKind struct{ preset string }

func (hmacKind) env() []string { return []string{"SECRET"} }

func (hmacKind) secretHeaders(Scheme) []string { return nil }

func (k hmacKind) signatureHeaders(s Scheme) []string { return []string{k.header(s)} }

func (k hmacKind) header(s Scheme) string { return s.header(hmacPresetHeaders[k.preset]) }

// params returns the scheme's parameters: the preset's, or the declared
// ones, checked.
func (k hmacKind) params(s Scheme) (HMAC, error) {
	if k.preset != "" {
		return hmacPresets[k.preset], nil
	}
	if s.HMAC == nil {
		return HMAC{}, fmt.Errorf("scheme %q needs its parameters (hmac: digest, encoding, key, message)", SchemeHMAC)
	}
	if k.header(s) == "" {
		return HMAC{}, fmt.Errorf("scheme %q needs the header the signature is in", SchemeHMAC)
	}
	return *s.HMAC, nil
}

func (k hmacKind) check(s Scheme) error {
	p, err := k.params(s)
	if err != nil {
		return err
	}
	_, err = p.compile()
	return err
}

func (k hmacKind) keyed(s Scheme, secrets Secrets, _ VerifyOptions) (keyedScheme, error) {
	p, err := k.params(s)
	if err != nil {
		return nil, err
	}
	c, err := p.compile()
	if err != nil {
		return nil, err
	}
	if err := need(s, "a secret", secrets.Secret); err != nil {
		return nil, err
	}
	key, err := c.decodeKey(secrets.Secret)
	if err != nil {
		return nil, fmt.Errorf("scheme %q: the secret is not %s: %w", s.Name, p.Key, err)
	}
	return hmacKeyed{compiled: c, header: k.header(s), key: key}, nil
}

// compiledHMAC is HMAC with its choices resolved.
type compiledHMAC struct {
	newHash   func() hash.Hash
	encode    func([]byte) string
	caseless  bool
	prefix    string
	decodeKey func(string) ([]byte, error)
	message   []messagePart
}

// messagePart is a piece of the signed message: literal text, the body, or
// a header's value.
type messagePart struct {
	literal string
	body    bool
	header  string
}

func (p HMAC) compile() (compiledHMAC, error) {
	c := compiledHMAC{prefix: p.Prefix}
	switch p.Digest {
	case "", "sha256":
		c.newHash = sha256.New
	case "sha512":
		c.newHash = sha512.New
	default:
		return c, fmt.Errorf("hmac digest %q: use sha256 or sha512", p.Digest)
	}
	switch p.Encoding {
	case "", "hex":
		c.encode, c.caseless = hex.EncodeToString, true
	case "base64":
		c.encode = base64.StdEncoding.EncodeToString
	default:
		return c, fmt.Errorf("hmac encoding %q: use hex or base64", p.Encoding)
	}
	switch p.Key {
	case "", "raw":
		c.decodeKey = func(s string) ([]byte, error) { return []byte(s), nil }
	case "hex":
		c.decodeKey = hex.DecodeString
	case "base64":
		c.decodeKey = base64.StdEncoding.DecodeString
	default:
		return c, fmt.Errorf("hmac key %q: use raw, hex or base64", p.Key)
	}
	parts, err := parseMessage(p.Message)
	if err != nil {
		return c, err
	}
	c.message = parts
	return c, nil
}

// parseMessage reads a message template.
func parseMessage(template string) ([]messagePart, error) {
	if template == "" {
		return []messagePart{{body: true}}, nil
	}
	var parts []messagePart
	rest := template
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			parts = append(parts, messagePart{literal: rest})
			break
		}
		if open > 0 {
			parts = append(parts, messagePart{literal: rest[:open]})
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("hmac message %q: %q is not closed", template, rest[open:])
		}
		field := rest[open+1 : open+end]
		switch name, isHeader := strings.CutPrefix(field, "header:"); {
		case field == "body":
			parts = append(parts, messagePart{body: true})
		case isHeader && name != "":
			parts = append(parts, messagePart{header: name})
		default:
			return nil, fmt.Errorf("hmac message %q: unknown field {%s} (use {body} or {header:Name})", template, field)
		}
		rest = rest[open+end+1:]
	}
	return parts, nil
}

type hmacKeyed struct {
	compiled compiledHMAC
	header   string
	key      []byte
}

// signature computes the expected header value for a request.
func (k hmacKeyed) signature(h http.Header, body []byte) (string, error) {
	mac := hmac.New(k.compiled.newHash, k.key)
	for _, part := range k.compiled.message {
		switch {
		case part.body:
			mac.Write(body)
		case part.header != "":
			v := h.Get(part.header)
			if v == "" {
				return "", sigErr("header %q, part of the signed message, is missing", part.header)
			}
			mac.Write([]byte(v))
		default:
			mac.Write([]byte(part.literal))
		}
	}
	return k.compiled.prefix + k.compiled.encode(mac.Sum(nil)), nil
}

func (k hmacKeyed) Verify(r Request) error {
	got := r.Header.Get(k.header)
	if got == "" {
		return sigErr("header %q is missing", k.header)
	}
	want, err := k.signature(r.Header, r.Body)
	if err != nil {
		return err
	}
	if k.compiled.caseless {
		got, want = strings.ToLower(got), strings.ToLower(want)
	}
	if !equal(got, want) {
		return sigErr("header %q does not match the body", k.header)
	}
	return nil
}

func (k hmacKeyed) Sign(h http.Header, _ string, body []byte) error {
	sig, err := k.signature(h, body)
	if err != nil {
		return err
	}
	h.Set(k.header, sig)
	return nil
}
