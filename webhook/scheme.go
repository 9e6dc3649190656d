package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Scheme names how a provider signs deliveries and the parameters its
// schema gives (x-payhooks-provider.signature, or the OpenAPI security
// scheme). Generated packages declare theirs; Verifier and Signer turn it
// and the secrets into working code, so a new provider using one of these
// schemes needs no hand-written Go.
//
// It is also what a schema's x-payhooks-provider.signature holds, so it
// reads from that JSON.
type Scheme struct {
	// Name is one of Schemes.
	Name string `json:"scheme"`
	// Header overrides the header the scheme reads, where it reads one
	// (the static token's header is configurable in Finmo's dashboard).
	Header string `json:"header,omitempty"`
	// HMAC declares the parameters of SchemeHMAC.
	HMAC *HMAC `json:"hmac,omitempty"`
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
	// body (Augustus, formerly Ivy); an HMAC preset.
	SchemeIvy = "ivy"
	// SchemeHMAC: an HMAC declared by its parameters (Scheme.HMAC): digest,
	// encoding and prefix of the signature, encoding of the key, and the
	// signed message.
	SchemeHMAC = "hmac"
	// SchemeAdyenHMAC: header HmacSignature, base64 HMAC-SHA256 of the raw
	// body keyed with the hex-decoded HMAC key (Adyen's published formula);
	// an HMAC preset.
	SchemeAdyenHMAC = "adyen-hmac"
	// SchemeStandardWebhooks: the Standard Webhooks headers webhook-id,
	// webhook-timestamp and webhook-signature ("v1,<base64>" entries,
	// space-separated), HMAC-SHA256 of "id.timestamp.body" keyed with the
	// base64 key of a "whsec_" secret.
	SchemeStandardWebhooks = "standard-webhooks"
	// SchemeStripe: header Stripe-Signature, "t=<unix seconds>,v1=<hex>"
	// with one v1 entry per signing secret, lowercase hex HMAC-SHA256 of
	// "t.body" keyed with the whole endpoint secret ("whsec_…" as bytes);
	// several secrets, space-separated, for rotation.
	SchemeStripe = "stripe"
)

// Schemes lists the supported signing schemes, sorted; each is one file
// (scheme_<name>.go) that registers itself.
var Schemes []string

// schemeKind is one signing scheme: the secrets it needs, the headers it
// reads, and, given secrets, a verifier that is also a signer.
type schemeKind interface {
	// env names the secret variables' suffixes ("TOKEN"), required first.
	env() []string
	// secretHeaders name the headers whose values are the secret itself,
	// and signatureHeaders those carrying a signature.
	secretHeaders(s Scheme) []string
	signatureHeaders(s Scheme) []string
	// keyed checks the secrets the scheme needs and binds them.
	keyed(s Scheme, secrets Secrets, opts VerifyOptions) (keyedScheme, error)
}

// keyedScheme is a scheme bound to its secrets.
type keyedScheme interface {
	Verifier
	Signer
}

var schemeKinds = map[string]schemeKind{}

// register adds a scheme; each scheme's file calls it from init.
func register(name string, k schemeKind) {
	schemeKinds[name] = k
	Schemes = append(Schemes, name)
	slices.Sort(Schemes)
}

// CheckScheme reports whether payhooks has the signing scheme name: nil,
// or an error that lists the schemes it has.
func CheckScheme(name string) error {
	_, err := kindOf(Scheme{Name: name})
	return err
}

// Check reports whether s names a scheme payhooks has, with the parameters
// it needs (an hmac scheme's): what generate, listen and send refuse
// before using it.
func (s Scheme) Check() error {
	k, err := kindOf(s)
	if err != nil {
		return err
	}
	if c, ok := k.(interface{ check(Scheme) error }); ok {
		return c.check(s)
	}
	return nil
}

func kindOf(s Scheme) (schemeKind, error) {
	k, ok := schemeKinds[s.Name]
	if !ok {
		return nil, fmt.Errorf("unknown signature scheme %q (known: %s)", s.Name, strings.Join(Schemes, ", "))
	}
	return k, nil
}

// Secrets are what a receiver verifies with and a sender signs with. Each
// scheme reads the fields it needs.
type Secrets struct {
	// Token is the static token (static-token).
	Token string
	// AccessKey and SecretKey are Rapyd's API keys; WebhookURL is the URL
	// configured in Rapyd's dashboard, which Rapyd signs (default: the URL
	// the request was sent to).
	AccessKey, SecretKey, WebhookURL string
	// Secret is the signing secret (tazapay, the HMAC schemes,
	// standard-webhooks, stripe). For Standard Webhooks and Stripe,
	// several secrets separated by spaces are all accepted, for key
	// rotation; the first one signs a Standard Webhooks delivery, each
	// one a Stripe delivery (a v1 entry per secret, as Stripe signs while
	// an old secret is still active).
	Secret string
}

// SecretsFromEnv reads a provider's secrets from PAYHOOKS_<PROVIDER>_TOKEN,
// _ACCESS_KEY, _SECRET_KEY, _WEBHOOK_URL and _SECRET.
func SecretsFromEnv(provider string) Secrets {
	prefix := envPrefix(provider)
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
	prefix := envPrefix(provider)
	suffixes := []string{"SECRET"}
	if k, err := kindOf(scheme); err == nil {
		suffixes = k.env()
	}
	names := make([]string, len(suffixes))
	for i, s := range suffixes {
		names[i] = prefix + s
	}
	return names
}

// envPrefix begins the names of a provider's variables: PAYHOOKS_, the
// name in upper case with anything but letters and digits as "_" (a
// shell cannot set PAYHOOKS_ADYEN-TRANSFERS_SECRET), and "_".
func envPrefix(provider string) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, provider)
	return "PAYHOOKS_" + name + "_"
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
	return newKeyed(scheme, secrets, opts)
}

// NewSigner returns the signer of scheme with secrets.
func NewSigner(scheme Scheme, secrets Secrets, opts VerifyOptions) (Signer, error) {
	return newKeyed(scheme, secrets, opts)
}

func newKeyed(scheme Scheme, secrets Secrets, opts VerifyOptions) (keyedScheme, error) {
	k, err := kindOf(scheme)
	if err != nil {
		return nil, err
	}
	return k.keyed(scheme, secrets, opts)
}

// ErrMissingSecret is what NewVerifier, NewSigner and so the generated
// NewHandler fail with (errors.Is) when a secret the scheme needs is empty:
// a service mounting several providers can leave out the ones it has no
// secrets for.
var ErrMissingSecret = errors.New("missing secret")

// missingSecret names the secret a scheme needs.
type missingSecret struct{ scheme, what string }

func (e missingSecret) Error() string { return fmt.Sprintf("scheme %q needs %s", e.scheme, e.what) }

func (e missingSecret) Is(target error) bool { return target == ErrMissingSecret }

// need fails when a secret the scheme needs is empty (or only spaces).
func need(scheme Scheme, what, value string) error {
	if strings.TrimSpace(value) == "" {
		return missingSecret{scheme: scheme.Name, what: what}
	}
	return nil
}

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
	if k, err := kindOf(s); err == nil {
		return k.secretHeaders(s)
	}
	return nil
}

// SignatureHeaders names the headers that carry a signature: not secret,
// but what a replay needs, so a capture keeps them only when asked.
func (s Scheme) SignatureHeaders() []string {
	if k, err := kindOf(s); err == nil {
		return k.signatureHeaders(s)
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

// checkTime holds a signed timestamp (Unix seconds) to the tolerance.
func (o VerifyOptions) checkTime(ts string) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec < 0 || len(ts) > 12 {
		return sigErr("timestamp %q is not Unix seconds", ts)
	}
	tolerance := o.Tolerance
	switch {
	case tolerance < 0:
		return nil
	case tolerance == 0:
		tolerance = DefaultTolerance
	}
	d := o.now().Sub(time.Unix(sec, 0))
	if d > tolerance || d < -tolerance {
		return sigErr("timestamp is %s away from now, outside the %s tolerance", d.Round(time.Second), tolerance)
	}
	return nil
}

// missingHeader names the first of the headers that is empty.
func missingHeader(h http.Header, names ...string) error {
	for _, name := range names {
		if h.Get(name) == "" {
			return sigErr("header %q is missing", name)
		}
	}
	return nil
}
