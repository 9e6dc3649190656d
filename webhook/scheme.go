package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Scheme names how a provider signs deliveries and the parameters its
// schema gives (x-payhooks-provider.signature, or the OpenAPI security
// scheme). Generated packages declare theirs; Verifier and Signer turn it
// and the secrets into working code, so a new provider using one of these
// schemes needs no hand-written Go.
type Scheme struct {
	// Name is one of SchemeStaticToken, SchemeRapyd, SchemeTazapay,
	// SchemeIvy, SchemeStandardWebhooks.
	Name string
	// Header overrides the header the scheme reads, where it reads one
	// (the static token's header is configurable in Finmo's dashboard).
	Header string
}

// The supported signing schemes.
const (
	// SchemeStaticToken: a shared token in a header, compared in constant
	// time (Finmo: x-security-token).
	SchemeStaticToken = "static-token"
	// SchemeRapyd: headers salt, timestamp and signature, where signature is
	// base64 of the lowercase hex HMAC-SHA256 of url + salt + timestamp +
	// access key + secret key + body, keyed with the secret key.
	SchemeRapyd = "rapyd"
	// SchemeTazapay: header signature, base64 HMAC-SHA256 of the top-level
	// id + body + top-level created_at as sent.
	SchemeTazapay = "tazapay"
	// SchemeIvy: header X-Ivy-Signature, lowercase hex HMAC-SHA256 of the
	// body (Augustus, formerly Ivy).
	SchemeIvy = "ivy"
	// SchemeStandardWebhooks: the Standard Webhooks headers webhook-id,
	// webhook-timestamp and webhook-signature ("v1,<base64>" entries,
	// space-separated), HMAC-SHA256 of "id.timestamp.body" keyed with the
	// base64 key of a "whsec_" secret.
	SchemeStandardWebhooks = "standard-webhooks"
)

// Schemes lists the supported signing schemes.
var Schemes = []string{SchemeStaticToken, SchemeRapyd, SchemeTazapay, SchemeIvy, SchemeStandardWebhooks}

// Secrets are what a receiver verifies with and a sender signs with. Each
// scheme reads the fields it needs.
type Secrets struct {
	// Token is the static token (static-token).
	Token string
	// AccessKey and SecretKey are Rapyd's API keys; WebhookURL is the URL
	// configured in Rapyd's dashboard, which Rapyd signs (default: the URL
	// the request was sent to).
	AccessKey, SecretKey, WebhookURL string
	// Secret is the signing secret (tazapay, ivy, standard-webhooks). For
	// Standard Webhooks, several secrets separated by spaces are all
	// accepted, for key rotation; the first one signs.
	Secret string
}

// SecretsFromEnv reads a provider's secrets from PAYHOOKS_<PROVIDER>_TOKEN,
// _ACCESS_KEY, _SECRET_KEY, _WEBHOOK_URL and _SECRET.
func SecretsFromEnv(provider string) Secrets {
	prefix := "PAYHOOKS_" + strings.ToUpper(provider) + "_"
	return Secrets{
		Token:      os.Getenv(prefix + "TOKEN"),
		AccessKey:  os.Getenv(prefix + "ACCESS_KEY"),
		SecretKey:  os.Getenv(prefix + "SECRET_KEY"),
		WebhookURL: os.Getenv(prefix + "WEBHOOK_URL"),
		Secret:     os.Getenv(prefix + "SECRET"),
	}
}

// EnvNames lists the environment variables SecretsFromEnv reads for a
// provider using scheme, required ones first.
func EnvNames(provider string, scheme Scheme) []string {
	prefix := "PAYHOOKS_" + strings.ToUpper(provider) + "_"
	switch scheme.Name {
	case SchemeStaticToken:
		return []string{prefix + "TOKEN"}
	case SchemeRapyd:
		return []string{prefix + "ACCESS_KEY", prefix + "SECRET_KEY", prefix + "WEBHOOK_URL"}
	}
	return []string{prefix + "SECRET"}
}

// SignatureError says why a delivery failed verification: which header or
// check, never the secret or the expected value.
type SignatureError struct{ Reason string }

func (e *SignatureError) Error() string { return "signature: " + e.Reason }

func sigErr(format string, a ...any) error { return &SignatureError{Reason: fmt.Sprintf(format, a...)} }

// Request is what a verifier reads of a delivery.
type Request struct {
	Header http.Header
	// URL is the full URL the delivery was sent to (Rapyd signs it).
	URL  string
	Body []byte
}

// Verifier checks a delivery's signature on its raw body.
type Verifier interface {
	Verify(r Request) error
}

// Signer produces the headers a provider would send with body: the inverse
// of Verifier, for tests, payhooks send and users' own tests.
type Signer interface {
	Sign(h http.Header, url string, body []byte) error
}

// DefaultTolerance is how far a signed timestamp may be from now, either
// way, unless VerifyOptions says otherwise: the window Standard Webhooks and
// Stripe use. Rapyd documents none, but it signs its timestamp, and without
// a window a captured delivery could be replayed for ever.
const DefaultTolerance = 5 * time.Minute

// VerifyOptions tune verifiers of schemes with a timestamp.
type VerifyOptions struct {
	// Tolerance is how far a signed timestamp may be from now, either way:
	// zero means DefaultTolerance, a negative value no window at all. The
	// timestamp must be Unix seconds in every case.
	Tolerance time.Duration
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

func (o VerifyOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// NewVerifier returns the verifier of scheme with secrets; it fails when a
// secret the scheme needs is empty.
func NewVerifier(scheme Scheme, secrets Secrets, opts VerifyOptions) (Verifier, error) {
	k, err := newKeyed(scheme, secrets, opts)
	if err != nil {
		return nil, err
	}
	return k, nil
}

// NewSigner returns the signer of scheme with secrets.
func NewSigner(scheme Scheme, secrets Secrets, opts VerifyOptions) (Signer, error) {
	k, err := newKeyed(scheme, secrets, opts)
	if err != nil {
		return nil, err
	}
	return k, nil
}

// keyed is one scheme with its secrets: it both verifies and signs.
type keyed struct {
	scheme  Scheme
	secrets Secrets
	keys    [][]byte // Standard Webhooks keys, the signing one first
	opts    VerifyOptions
}

func newKeyed(scheme Scheme, s Secrets, opts VerifyOptions) (*keyed, error) {
	k := &keyed{scheme: scheme, secrets: s, opts: opts}
	need := func(name, v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("scheme %q needs %s", scheme.Name, name)
		}
		return nil
	}
	switch scheme.Name {
	case SchemeStaticToken:
		return k, need("a token", s.Token)
	case SchemeRapyd:
		if err := need("an access key", s.AccessKey); err != nil {
			return nil, err
		}
		return k, need("a secret key", s.SecretKey)
	case SchemeTazapay, SchemeIvy:
		return k, need("a secret", s.Secret)
	case SchemeStandardWebhooks:
		if err := need("a secret", s.Secret); err != nil {
			return nil, err
		}
		for _, secret := range strings.Fields(s.Secret) {
			key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
			if err != nil || len(key) == 0 {
				return nil, fmt.Errorf("scheme %q: a secret is not whsec_<base64>", scheme.Name)
			}
			k.keys = append(k.keys, key)
		}
		if len(k.keys) == 0 {
			return nil, fmt.Errorf("scheme %q needs a secret, and %q holds only spaces", scheme.Name, s.Secret)
		}
		return k, nil
	}
	return nil, fmt.Errorf("unknown signature scheme %q (known: %s)", scheme.Name, strings.Join(Schemes, ", "))
}

func (k *keyed) header(def string) string { return k.scheme.header(def) }

// header is the header the scheme reads: Header, or the scheme's own.
func (s Scheme) header(def string) string {
	if s.Header != "" {
		return s.Header
	}
	return def
}

// SecretHeaders names the headers whose values are the secret itself (the
// static token), which a capture must never store.
func (s Scheme) SecretHeaders() []string {
	if s.Name == SchemeStaticToken {
		return []string{s.header("x-security-token")}
	}
	return nil
}

// SignatureHeaders names the headers that carry a signature: not secret,
// but what a replay needs, so a capture keeps them only when asked.
func (s Scheme) SignatureHeaders() []string {
	switch s.Name {
	case SchemeRapyd, SchemeTazapay:
		return []string{s.header("signature")}
	case SchemeIvy:
		return []string{s.header("X-Ivy-Signature")}
	case SchemeStandardWebhooks:
		return []string{"webhook-signature"}
	}
	return nil
}

func hmacSHA256(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// equal compares in constant time.
func equal(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

func (k *keyed) Verify(r Request) error {
	switch k.scheme.Name {
	case SchemeStaticToken:
		name := k.header("x-security-token")
		got := r.Header.Get(name)
		if got == "" {
			return sigErr("header %q is missing", name)
		}
		if !equal(got, k.secrets.Token) {
			return sigErr("header %q does not match the configured token", name)
		}
		return nil
	case SchemeRapyd:
		salt, ts, sig := r.Header.Get("salt"), r.Header.Get("timestamp"), r.Header.Get(k.header("signature"))
		for name, v := range map[string]string{"salt": salt, "timestamp": ts, k.header("signature"): sig} {
			if v == "" {
				return sigErr("header %q is missing", name)
			}
		}
		if err := k.checkTime(ts); err != nil {
			return err
		}
		if !equal(sig, k.rapyd(k.rapydURL(r.URL), salt, ts, r.Body)) {
			return sigErr("header %q does not match the body, salt, timestamp and webhook URL", k.header("signature"))
		}
		return nil
	case SchemeTazapay:
		sig := r.Header.Get(k.header("signature"))
		if sig == "" {
			return sigErr("header %q is missing", k.header("signature"))
		}
		want, err := k.tazapay(r.Body)
		if err != nil {
			return err
		}
		if !equal(sig, want) {
			return sigErr("header %q does not match id + body + created_at", k.header("signature"))
		}
		return nil
	case SchemeIvy:
		name := k.header("X-Ivy-Signature")
		sig := r.Header.Get(name)
		if sig == "" {
			return sigErr("header %q is missing", name)
		}
		if !equal(strings.ToLower(sig), hex.EncodeToString(hmacSHA256([]byte(k.secrets.Secret), r.Body))) {
			return sigErr("header %q does not match the body", name)
		}
		return nil
	case SchemeStandardWebhooks:
		return k.verifyStandard(r)
	}
	return sigErr("unknown scheme %q", k.scheme.Name)
}

func (k *keyed) checkTime(ts string) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec < 0 || len(ts) > 12 {
		return sigErr("timestamp %q is not Unix seconds", ts)
	}
	tolerance := k.opts.Tolerance
	switch {
	case tolerance < 0:
		return nil
	case tolerance == 0:
		tolerance = DefaultTolerance
	}
	d := k.opts.now().Sub(time.Unix(sec, 0))
	if d > tolerance || d < -tolerance {
		return sigErr("timestamp is %s away from now, outside the %s tolerance", d.Round(time.Second), tolerance)
	}
	return nil
}

func (k *keyed) rapydURL(requestURL string) string {
	if k.secrets.WebhookURL != "" {
		return k.secrets.WebhookURL
	}
	return requestURL
}

// rapyd is base64 of the lowercase hex of the HMAC, as Rapyd's samples do.
func (k *keyed) rapyd(url, salt, ts string, body []byte) string {
	mac := hmacSHA256([]byte(k.secrets.SecretKey), []byte(url), []byte(salt), []byte(ts), []byte(k.secrets.AccessKey), []byte(k.secrets.SecretKey), body)
	return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(mac)))
}

// tazapay signs id + body + created_at, with both read from the body's top
// level exactly as sent (a string's contents, a number's digits).
func (k *keyed) tazapay(body []byte) (string, error) {
	var id, created []byte
	err := eachMember(body, func(key []byte, escaped bool, value []byte) bool {
		switch keyString(key, escaped) {
		case "id":
			id = value
		case "created_at":
			created = value
		}
		return true
	})
	if err != nil {
		return "", sigErr("the body is not a JSON object, so id and created_at cannot be read")
	}
	if id == nil || created == nil {
		return "", sigErr("the body lacks the top-level id or created_at the signature covers")
	}
	return base64.StdEncoding.EncodeToString(hmacSHA256([]byte(k.secrets.Secret), asSent(id), body, asSent(created))), nil
}

// asSent is a JSON string's contents, or any other value's text.
func asSent(raw []byte) []byte {
	if s, ok := plainString(raw); ok {
		return []byte(s)
	}
	var s string
	if KindOf(raw) == KindString && json.Unmarshal(raw, &s) == nil {
		return []byte(s)
	}
	return raw
}

func (k *keyed) verifyStandard(r Request) error {
	id, ts, sigs := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature")
	for name, v := range map[string]string{"webhook-id": id, "webhook-timestamp": ts, "webhook-signature": sigs} {
		if v == "" {
			return sigErr("header %q is missing", name)
		}
	}
	if err := k.checkTime(ts); err != nil {
		return err
	}
	for _, key := range k.keys {
		want := base64.StdEncoding.EncodeToString(hmacSHA256(key, []byte(id), []byte("."), []byte(ts), []byte("."), r.Body))
		for _, entry := range strings.Fields(sigs) {
			version, sig, ok := strings.Cut(entry, ",")
			if ok && version == "v1" && equal(sig, want) {
				return nil
			}
		}
	}
	return sigErr("no v1 entry of header %q matches the body with any configured secret", "webhook-signature")
}

// Sign sets the headers the provider would send with body to url.
func (k *keyed) Sign(h http.Header, url string, body []byte) error {
	now := k.opts.now()
	switch k.scheme.Name {
	case SchemeStaticToken:
		h.Set(k.header("x-security-token"), k.secrets.Token)
	case SchemeRapyd:
		salt := randomHex(8)
		ts := strconv.FormatInt(now.Unix(), 10)
		h.Set("salt", salt)
		h.Set("timestamp", ts)
		h.Set(k.header("signature"), k.rapyd(k.rapydURL(url), salt, ts, body))
	case SchemeTazapay:
		sig, err := k.tazapay(body)
		if err != nil {
			return err
		}
		h.Set(k.header("signature"), sig)
	case SchemeIvy:
		h.Set(k.header("X-Ivy-Signature"), hex.EncodeToString(hmacSHA256([]byte(k.secrets.Secret), body)))
	case SchemeStandardWebhooks:
		id := h.Get("webhook-id")
		if id == "" {
			id = "msg_" + randomHex(12)
			h.Set("webhook-id", id)
		}
		ts := strconv.FormatInt(now.Unix(), 10)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(hmacSHA256(k.keys[0], []byte(id), []byte("."), []byte(ts), []byte("."), body)))
	default:
		return errors.New("unknown scheme " + k.scheme.Name)
	}
	return nil
}
