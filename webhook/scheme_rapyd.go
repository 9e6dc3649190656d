package webhook

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
)

// rapyd: headers salt, timestamp and signature, where signature is base64
// of the lowercase hex HMAC-SHA256 of url + salt + timestamp + access key +
// secret key + body, keyed with the secret key (as Rapyd's samples compute
// it). The timestamp is held to the tolerance.
type rapyd struct{}

func init() { register(SchemeRapyd, rapyd{}) }

func (rapyd) env() []string { return []string{"ACCESS_KEY", "SECRET_KEY", "WEBHOOK_URL"} }

func (rapyd) secretHeaders(Scheme) []string { return nil }

func (rapyd) signatureHeaders(s Scheme) []string { return []string{s.header("signature")} }

func (rapyd) keyed(s Scheme, secrets Secrets, opts VerifyOptions) (keyedScheme, error) {
	if err := need(s, "an access key", secrets.AccessKey); err != nil {
		return nil, err
	}
	if err := need(s, "a secret key", secrets.SecretKey); err != nil {
		return nil, err
	}
	return rapydKeyed{header: s.header("signature"), secrets: secrets, opts: opts}, nil
}

type rapydKeyed struct {
	header  string
	secrets Secrets
	opts    VerifyOptions
}

// signsURL tells the handler core to word the request's URL for Verify.
func (rapydKeyed) signsURL() {}

func (k rapydKeyed) Verify(r Request) error {
	if err := missingHeader(r.Header, "salt", "timestamp", k.header); err != nil {
		return err
	}
	salt, ts := r.Header.Get("salt"), r.Header.Get("timestamp")
	if err := k.opts.checkTime(ts); err != nil {
		return err
	}
	if !equal(r.Header.Get(k.header), k.signature(r.URL, salt, ts, r.Body)) {
		return sigErr("header %q does not match the body, salt, timestamp and webhook URL", k.header)
	}
	return nil
}

func (k rapydKeyed) Sign(h http.Header, url string, body []byte) error {
	salt := randomHex(8)
	ts := strconv.FormatInt(k.opts.now().Unix(), 10)
	h.Set("salt", salt)
	h.Set("timestamp", ts)
	h.Set(k.header, k.signature(url, salt, ts, body))
	return nil
}

// signature is what Rapyd sends for a delivery to requestURL (or to the
// configured webhook URL, which Rapyd signs instead when set).
func (k rapydKeyed) signature(requestURL, salt, ts string, body []byte) string {
	url := requestURL
	if k.secrets.WebhookURL != "" {
		url = k.secrets.WebhookURL
	}
	mac := hmacSHA256([]byte(k.secrets.SecretKey), []byte(url), []byte(salt), []byte(ts), []byte(k.secrets.AccessKey), []byte(k.secrets.SecretKey), body)
	return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(mac)))
}
