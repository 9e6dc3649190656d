package webhook

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// standardWebhooks: the Standard Webhooks headers webhook-id,
// webhook-timestamp and webhook-signature ("v1,<base64>" entries,
// space-separated), HMAC-SHA256 of "id.timestamp.body" keyed with the
// base64 key of a "whsec_" secret; several secrets for rotation.
type standardWebhooks struct{}

func init() { register(SchemeStandardWebhooks, standardWebhooks{}) }

func (standardWebhooks) env() []string { return []string{"SECRET"} }

func (standardWebhooks) secretHeaders(Scheme) []string { return nil }

func (standardWebhooks) signatureHeaders(Scheme) []string { return []string{"webhook-signature"} }

func (standardWebhooks) keyed(s Scheme, secrets Secrets, opts VerifyOptions) (keyedScheme, error) {
	if err := need(s, "a secret", secrets.Secret); err != nil {
		return nil, err
	}
	k := standardWebhooksKeyed{opts: opts}
	for _, secret := range strings.Fields(secrets.Secret) {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		if err != nil || len(key) == 0 {
			return nil, fmt.Errorf("scheme %q: a secret is not whsec_<base64>", s.Name)
		}
		k.keys = append(k.keys, key)
	}
	return k, nil
}

type standardWebhooksKeyed struct {
	keys [][]byte // the signing one first
	opts VerifyOptions
}

func (k standardWebhooksKeyed) Verify(r Request) error {
	if err := missingHeader(r.Header, "webhook-id", "webhook-timestamp", "webhook-signature"); err != nil {
		return err
	}
	id, ts, sigs := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature")
	if err := k.opts.checkTime(ts); err != nil {
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

func (k standardWebhooksKeyed) Sign(h http.Header, _ string, body []byte) error {
	id := h.Get("webhook-id")
	if id == "" {
		id = "msg_" + randomHex(12)
		h.Set("webhook-id", id)
	}
	ts := strconv.FormatInt(k.opts.now().Unix(), 10)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(hmacSHA256(k.keys[0], []byte(id), []byte("."), []byte(ts), []byte("."), body)))
	return nil
}
