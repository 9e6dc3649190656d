package webhook

import (
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// stripe: header Stripe-Signature, a comma-separated list of key=value
// entries: t, the Unix seconds signed, and v1, the lowercase hex
// HMAC-SHA256 of "<t>.<body>" keyed with the endpoint secret's bytes
// (the whole "whsec_…" string). Any v1 entry that matches passes, so a
// delivery signed with both secrets of a rotation verifies with either;
// other entries (v0, Stripe's test-mode scheme) are ignored.
type stripeScheme struct{}

func init() { register(SchemeStripe, stripeScheme{}) }

// stripeHeader is the header Stripe signs in.
const stripeHeader = "Stripe-Signature"

func (stripeScheme) env() []string { return []string{"SECRET"} }

func (stripeScheme) secretHeaders(Scheme) []string { return nil }

func (stripeScheme) signatureHeaders(s Scheme) []string { return []string{s.header(stripeHeader)} }

func (stripeScheme) keyed(s Scheme, secrets Secrets, opts VerifyOptions) (keyedScheme, error) {
	if err := need(s, "a secret", secrets.Secret); err != nil {
		return nil, err
	}
	k := stripeKeyed{header: s.header(stripeHeader), opts: opts}
	for _, secret := range strings.Fields(secrets.Secret) {
		k.keys = append(k.keys, []byte(secret))
	}
	return k, nil
}

type stripeKeyed struct {
	header string
	keys   [][]byte // each signs; any verifies
	opts   VerifyOptions
}

func (k stripeKeyed) Verify(r Request) error {
	value := r.Header.Get(k.header)
	if value == "" {
		return sigErr("header %q is missing", k.header)
	}
	var ts string
	var sigs [][]byte
	for _, entry := range strings.Split(value, ",") {
		key, v, ok := strings.Cut(strings.TrimSpace(entry), "=")
		switch {
		case !ok:
		case key == "t" && ts == "":
			ts = v
		case key == "t":
			return sigErr("header %q carries t twice", k.header)
		case key == "v1":
			if sig, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, sig) // hex in either case, as stripe-go reads it
			}
		}
	}
	if ts == "" {
		return sigErr("header %q has no t= timestamp", k.header)
	}
	if len(sigs) == 0 {
		return sigErr("header %q has no v1= signature in hex", k.header)
	}
	if err := k.opts.checkTime(ts); err != nil {
		return err
	}
	for _, key := range k.keys {
		want := hmacSHA256(key, []byte(ts), []byte("."), r.Body)
		for _, sig := range sigs {
			if hmac.Equal(sig, want) {
				return nil
			}
		}
	}
	return sigErr("no v1 entry of header %q matches t and the body with any configured secret", k.header)
}

func (k stripeKeyed) Sign(h http.Header, _ string, body []byte) error {
	ts := strconv.FormatInt(k.opts.now().Unix(), 10)
	var b strings.Builder
	b.WriteString("t=" + ts)
	for _, key := range k.keys {
		b.WriteString(",v1=" + hex.EncodeToString(hmacSHA256(key, []byte(ts), []byte("."), body)))
	}
	h.Set(k.header, b.String())
	return nil
}
