package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fixedNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// Known answers: each signature computed here from the provider's published
// formula, independently of the code under test, must verify.
func TestKnownAnswers(t *testing.T) {
	body := []byte(`{"id":"evt_1","type":"checkout.paid","created_at":"2023-12-25T21:59:59.123456789Z","data":{"amount":6700}}`)
	mac := func(key string, msg string) []byte {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(msg))
		return m.Sum(nil)
	}

	t.Run("rapyd", func(t *testing.T) {
		url, salt, ts, access, secret := "https://shop.example.com/rapyd", "a1b2c3d4", "1700000000", "rak_ACCESS", "rsk_SECRET"
		// base64 of the lowercase hex digest, as Rapyd's samples compute it.
		want := base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(mac(secret, url+salt+ts+access+secret+string(body)))))
		at := VerifyOptions{Now: func() time.Time { return time.Unix(1700000000, 0) }}
		v, err := NewVerifier(Scheme{Name: SchemeRapyd}, Secrets{AccessKey: access, SecretKey: secret, WebhookURL: url}, at)
		require.NoError(t, err)
		h := http.Header{"Salt": {salt}, "Timestamp": {ts}, "Signature": {want}}
		assert.NoError(t, v.Verify(Request{Header: h, URL: "http://127.0.0.1/rapyd", Body: body}), "the configured URL is signed, not the request's")
		v2, _ := NewVerifier(Scheme{Name: SchemeRapyd}, Secrets{AccessKey: access, SecretKey: secret}, at)
		assert.NoError(t, v2.Verify(Request{Header: h, URL: url, Body: body}), "by default the request URL is signed")
	})
	t.Run("tazapay", func(t *testing.T) {
		want := base64.StdEncoding.EncodeToString(mac("whsec_taz", "evt_1"+string(body)+"2023-12-25T21:59:59.123456789Z"))
		v, err := NewVerifier(Scheme{Name: SchemeTazapay}, Secrets{Secret: "whsec_taz"}, VerifyOptions{})
		require.NoError(t, err)
		assert.NoError(t, v.Verify(Request{Header: http.Header{"Signature": {want}}, Body: body}))
		// An integer created_at is signed with its digits.
		intBody := []byte(`{"id":"evt_2","created_at":958793503,"type":"checkout.paid"}`)
		want = base64.StdEncoding.EncodeToString(mac("whsec_taz", "evt_2"+string(intBody)+"958793503"))
		assert.NoError(t, v.Verify(Request{Header: http.Header{"Signature": {want}}, Body: intBody}))
	})
	t.Run("ivy", func(t *testing.T) {
		want := hex.EncodeToString(mac("ivy_secret", string(body)))
		v, err := NewVerifier(Scheme{Name: SchemeIvy}, Secrets{Secret: "ivy_secret"}, VerifyOptions{})
		require.NoError(t, err)
		assert.NoError(t, v.Verify(Request{Header: http.Header{"X-Ivy-Signature": {want}}, Body: body}))
		assert.NoError(t, v.Verify(Request{Header: http.Header{"X-Ivy-Signature": {strings.ToUpper(want)}}, Body: body}), "hex case does not matter")
	})
	t.Run("standard webhooks", func(t *testing.T) {
		// The example from the Standard Webhooks specification.
		secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		id, ts := "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330"
		payload := []byte(`{"test": 2432232314}`)
		v, err := NewVerifier(Scheme{Name: SchemeStandardWebhooks}, Secrets{Secret: secret}, VerifyOptions{Now: func() time.Time { return time.Unix(1614265330, 0) }})
		require.NoError(t, err)
		h := http.Header{"Webhook-Id": {id}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}}
		assert.NoError(t, v.Verify(Request{Header: h, Body: payload}))
	})
	// RFC 4231 test case 2 (key "Jefe", message "what do ya want for
	// nothing?"): its published digests, and their base64 as Python's hmac
	// module writes them.
	jefe := []byte("what do ya want for nothing?")
	const (
		rfcSHA256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
		rfcSHA512 = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
		b64SHA256 = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
		b64SHA512 = "Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9yuqxo01Ka0tjbgcKOLznNw=="
	)
	for _, tc := range []struct {
		name   string
		params HMAC
		secret string
		header string
	}{
		{"sha256 hex, raw key", HMAC{}, "Jefe", rfcSHA256},
		{"sha256 hex in capitals", HMAC{}, "Jefe", strings.ToUpper(rfcSHA256)},
		{"sha512 hex, hex key", HMAC{Digest: "sha512", Key: "hex"}, "4a656665", rfcSHA512},
		{"sha256 base64, base64 key, prefix", HMAC{Encoding: "base64", Key: "base64", Prefix: "sha256="}, "SmVmZQ==", "sha256=" + b64SHA256},
		{"sha512 base64", HMAC{Digest: "sha512", Encoding: "base64"}, "Jefe", b64SHA512},
		{"a template", HMAC{Message: "what do {header:x-who} want for {body}"}, "Jefe", rfcSHA256},
	} {
		t.Run("hmac "+tc.name, func(t *testing.T) {
			params := tc.params
			v, err := NewVerifier(Scheme{Name: SchemeHMAC, Header: "X-Sig", HMAC: &params}, Secrets{Secret: tc.secret}, VerifyOptions{})
			require.NoError(t, err)
			msg := jefe
			h := http.Header{"X-Sig": {tc.header}}
			if params.Message != "" {
				msg = []byte("nothing?")
				h.Set("X-Who", "ya")
			}
			assert.NoError(t, v.Verify(Request{Header: h, Body: msg}))
		})
	}
	t.Run("adyen-hmac", func(t *testing.T) {
		// Computed with Python's hmac module: base64 HMAC-SHA256 of the
		// raw body, keyed with the hex-decoded HMAC key.
		key := "44C1A4C5E6D0A7B3F2E1D0C9B8A7F6E5D4C3B2A1F0E9D8C7B6A5F4E3D2C1B0A9"
		adyenBody := []byte(`{"type":"balancePlatform.payment.created","data":{"id":"x"}}`)
		v, err := NewVerifier(Scheme{Name: SchemeAdyenHMAC}, Secrets{Secret: key}, VerifyOptions{})
		require.NoError(t, err)
		h := http.Header{"Hmacsignature": {"MwFQm4WizLasOU/GfW50hgn9zXTcH7O5ykb03W4daYE="}}
		assert.NoError(t, v.Verify(Request{Header: h, Body: adyenBody}))
		assert.Error(t, v.Verify(Request{Header: h, Body: append(adyenBody, ' ')}), "the raw body, byte for byte")
		_, err = NewVerifier(Scheme{Name: SchemeAdyenHMAC}, Secrets{Secret: "not-hex"}, VerifyOptions{})
		assert.ErrorContains(t, err, `scheme "adyen-hmac": the secret is not hex`)
	})
	t.Run("stripe", func(t *testing.T) {
		// Stripe's formula: lowercase hex HMAC-SHA256 of "t.body", keyed
		// with the whole endpoint secret, whsec_ included.
		secret := "whsec_test_secret"
		want := hex.EncodeToString(mac(secret, "1700000000."+string(body)))
		v, err := NewVerifier(Scheme{Name: SchemeStripe}, Secrets{Secret: secret}, VerifyOptions{Now: func() time.Time { return time.Unix(1700000100, 0) }})
		require.NoError(t, err)
		assert.NoError(t, v.Verify(Request{Header: http.Header{"Stripe-Signature": {"t=1700000000,v1=" + want}}, Body: body}))
		assert.NoError(t, v.Verify(Request{Header: http.Header{"Stripe-Signature": {"t=1700000000,v0=00ff,v1=" + strings.ToUpper(want)}}, Body: body}), "v0 ignored, hex in capitals")
	})
	t.Run("static token", func(t *testing.T) {
		v, err := NewVerifier(Scheme{Name: SchemeStaticToken, Header: "x-security-token"}, Secrets{Token: "tok"}, VerifyOptions{})
		require.NoError(t, err)
		assert.NoError(t, v.Verify(Request{Header: http.Header{"X-Security-Token": {"tok"}}, Body: body}))
	})
}

func schemes() map[string]struct {
	scheme  Scheme
	secrets Secrets
	wrong   Secrets
} {
	return map[string]struct {
		scheme  Scheme
		secrets Secrets
		wrong   Secrets
	}{
		"static-token":      {Scheme{Name: SchemeStaticToken, Header: "x-security-token"}, Secrets{Token: "tk-9f2e"}, Secrets{Token: "tk-other"}},
		"rapyd":             {Scheme{Name: SchemeRapyd}, Secrets{AccessKey: "ak", SecretKey: "sk", WebhookURL: "https://x/rapyd"}, Secrets{AccessKey: "ak", SecretKey: "other", WebhookURL: "https://x/rapyd"}},
		"tazapay":           {Scheme{Name: SchemeTazapay}, Secrets{Secret: "s"}, Secrets{Secret: "other"}},
		"ivy":               {Scheme{Name: SchemeIvy}, Secrets{Secret: "s"}, Secrets{Secret: "other"}},
		"adyen-hmac":        {Scheme{Name: SchemeAdyenHMAC}, Secrets{Secret: "44C1A4C5E6D0A7B3"}, Secrets{Secret: "44C1A4C5E6D0A7B4"}},
		"hmac":              {Scheme{Name: SchemeHMAC, Header: "signature", HMAC: &HMAC{Digest: "sha512", Encoding: "base64", Prefix: "v1=", Key: "base64", Message: "v1.{body}"}}, Secrets{Secret: "a2V5LW9uZQ=="}, Secrets{Secret: "a2V5LXR3bw=="}},
		"standard-webhooks": {Scheme{Name: SchemeStandardWebhooks}, Secrets{Secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("key-one"))}, Secrets{Secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("key-two"))}},
		"stripe":            {Scheme{Name: SchemeStripe}, Secrets{Secret: "whsec_one"}, Secrets{Secret: "whsec_two"}},
	}
}

// Sign then Verify round-trips for every scheme, and every tampering fails
// with a reason that names the header and never the secret.
func TestSignVerifyAndTampering(t *testing.T) {
	body := []byte(`{"id":"evt_1","created_at":958793503,"type":"x"}`)
	for name, s := range schemes() {
		t.Run(name, func(t *testing.T) {
			opts := VerifyOptions{Now: clock}
			signer, err := NewSigner(s.scheme, s.secrets, opts)
			require.NoError(t, err)
			verifier, err := NewVerifier(s.scheme, s.secrets, opts)
			require.NoError(t, err)
			h := http.Header{}
			require.NoError(t, signer.Sign(h, "https://x/rapyd", body))
			require.NoError(t, verifier.Verify(Request{Header: h, URL: "https://x/rapyd", Body: body}))

			tampered := append([]byte(nil), body...)
			tampered[len(tampered)-3] ^= 1
			if name != "static-token" { // a static token does not cover the body
				assert.Error(t, verifier.Verify(Request{Header: h, URL: "https://x/rapyd", Body: tampered}), "one byte of body")
			}
			for header := range h {
				removed := h.Clone()
				removed.Del(header)
				err := verifier.Verify(Request{Header: removed, URL: "https://x/rapyd", Body: body})
				require.Error(t, err, "without %s", header)
				var se *SignatureError
				assert.ErrorAs(t, err, &se)
			}
			wrong, err := NewVerifier(s.scheme, s.wrong, opts)
			require.NoError(t, err)
			err = wrong.Verify(Request{Header: h, URL: "https://x/rapyd", Body: body})
			require.Error(t, err, "wrong secret")
			for _, secret := range []string{s.secrets.Token, s.secrets.SecretKey, s.secrets.Secret, s.wrong.Token, s.wrong.Secret} {
				if len(secret) > 2 {
					assert.NotContains(t, err.Error(), secret, "errors never echo secrets")
				}
			}
		})
	}
}

func TestTimestampTolerance(t *testing.T) {
	s := schemes()["standard-webhooks"]
	signAt := func(at time.Time) http.Header {
		signer, err := NewSigner(s.scheme, s.secrets, VerifyOptions{Now: func() time.Time { return at }})
		require.NoError(t, err)
		h := http.Header{}
		require.NoError(t, signer.Sign(h, "", []byte(`{}`)))
		return h
	}
	v, err := NewVerifier(s.scheme, s.secrets, VerifyOptions{Now: clock})
	require.NoError(t, err)
	for offset, ok := range map[time.Duration]bool{0: true, 4 * time.Minute: true, -4 * time.Minute: true, 6 * time.Minute: false, -6 * time.Minute: false} {
		err := v.Verify(Request{Header: signAt(fixedNow.Add(offset)), Body: []byte(`{}`)})
		assert.Equal(t, ok, err == nil, "signed %s from now: %v", offset, err)
	}
	strict, _ := NewVerifier(s.scheme, s.secrets, VerifyOptions{Now: clock, Tolerance: time.Minute})
	assert.Error(t, strict.Verify(Request{Header: signAt(fixedNow.Add(2 * time.Minute)), Body: []byte(`{}`)}))

	// Rapyd documents no window but signs its timestamp: the 5-minute
	// default holds it too, and a negative tolerance turns it off.
	r := schemes()["rapyd"]
	old, _ := NewSigner(r.scheme, r.secrets, VerifyOptions{Now: func() time.Time { return fixedNow.Add(-time.Hour) }})
	h := http.Header{}
	require.NoError(t, old.Sign(h, "", []byte(`{}`)))
	windowed, _ := NewVerifier(r.scheme, r.secrets, VerifyOptions{Now: clock})
	err = windowed.Verify(Request{Header: h, Body: []byte(`{}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "outside the 5m0s tolerance")
	off, _ := NewVerifier(r.scheme, r.secrets, VerifyOptions{Now: clock, Tolerance: -1})
	assert.NoError(t, off.Verify(Request{Header: h, Body: []byte(`{}`)}))
}

// A replayed Rapyd delivery: its signed timestamp must be Unix seconds
// within the window, whatever the signature says. Each header below is
// signed correctly, so only the timestamp check can refuse it.
func TestRapydTimestampReplay(t *testing.T) {
	r := schemes()["rapyd"]
	body := []byte(`{"id":"wh_1","type":"PAYMENT_COMPLETED"}`)
	for _, tc := range []struct {
		ts         string
		tolerance  time.Duration
		wantReason string
	}{
		{"abc", 0, `timestamp "abc" is not Unix seconds`},
		{"-5", 0, `timestamp "-5" is not Unix seconds`},
		{"1000000000", 0, "outside the 5m0s tolerance"},
		{"9999999999", 0, "outside the 5m0s tolerance"},
		{"abc", -1, `timestamp "abc" is not Unix seconds`}, // window off: must still parse
		{strconv.FormatInt(fixedNow.Unix()-60, 10), 0, ""},
		{"1000000000", -1, ""},
	} {
		k, err := newKeyed(r.scheme, r.secrets, VerifyOptions{Now: clock, Tolerance: tc.tolerance})
		require.NoError(t, err)
		h := http.Header{"Salt": {"s1"}, "Timestamp": {tc.ts}, "Signature": {k.(rapydKeyed).signature("http://x/rapyd", "s1", tc.ts, body)}}
		err = k.Verify(Request{Header: h, URL: "http://x/rapyd", Body: body})
		if tc.wantReason == "" {
			assert.NoError(t, err, "timestamp %q", tc.ts)
		} else {
			assert.ErrorContains(t, err, tc.wantReason, "timestamp %q", tc.ts)
		}
	}
}

func TestStandardWebhooksKeyRotation(t *testing.T) {
	oldKey := "whsec_" + base64.StdEncoding.EncodeToString([]byte("old"))
	newKey := "whsec_" + base64.StdEncoding.EncodeToString([]byte("new"))
	body := []byte(`{"a":1}`)
	signOld, _ := NewSigner(Scheme{Name: SchemeStandardWebhooks}, Secrets{Secret: oldKey}, VerifyOptions{Now: clock})
	h := http.Header{}
	require.NoError(t, signOld.Sign(h, "", body))
	both, err := NewVerifier(Scheme{Name: SchemeStandardWebhooks}, Secrets{Secret: newKey + " " + oldKey}, VerifyOptions{Now: clock})
	require.NoError(t, err)
	assert.NoError(t, both.Verify(Request{Header: h, Body: body}), "a receiver with both keys accepts the old one")
	// A sender in rotation sends several signatures; any valid one passes.
	newSig := base64.StdEncoding.EncodeToString(hmacSHA256([]byte("new"), []byte(h.Get("webhook-id")+"."+h.Get("webhook-timestamp")+"."), body))
	h.Set("webhook-signature", "v1,"+newSig+" "+h.Get("webhook-signature"))
	onlyNew, _ := NewVerifier(Scheme{Name: SchemeStandardWebhooks}, Secrets{Secret: newKey}, VerifyOptions{Now: clock})
	assert.NoError(t, onlyNew.Verify(Request{Header: h, Body: body}))
	h.Set("webhook-signature", "v2,"+newSig)
	assert.Error(t, onlyNew.Verify(Request{Header: h, Body: body}), "only v1 entries count")
}

// Stripe's rotation: the endpoint's old and new secrets both sign while
// the old one is active, each in a v1 entry; a receiver holding either
// one, or both, accepts. Signatures outside the 300 s window, with a
// second t, or without any v1 entry are refused.
func TestStripeSignatures(t *testing.T) {
	body := []byte(`{"id":"evt_1","object":"event","type":"charge.succeeded"}`)
	scheme := Scheme{Name: SchemeStripe}
	both, err := NewSigner(scheme, Secrets{Secret: "whsec_new whsec_old"}, VerifyOptions{Now: clock})
	require.NoError(t, err)
	h := http.Header{}
	require.NoError(t, both.Sign(h, "", body))
	sig := h.Get("Stripe-Signature")
	assert.Equal(t, 2, strings.Count(sig, ",v1="), "one v1 entry per secret: %s", sig)
	for _, secrets := range []string{"whsec_old", "whsec_new", "whsec_old whsec_new", "  whsec_x \twhsec_new  "} {
		v, err := NewVerifier(scheme, Secrets{Secret: secrets}, VerifyOptions{Now: clock})
		require.NoError(t, err)
		assert.NoError(t, v.Verify(Request{Header: h, Body: body}), "receiver secrets %q", secrets)
	}
	v, _ := NewVerifier(scheme, Secrets{Secret: "whsec_old"}, VerifyOptions{Now: clock})
	ts := strconv.FormatInt(fixedNow.Unix(), 10)
	good := hex.EncodeToString(hmacSHA256([]byte("whsec_old"), []byte(ts+"."), body))
	for header, reason := range map[string]string{
		"":                            `header "Stripe-Signature" is missing`,
		"v1=" + good:                  "has no t= timestamp",
		"t=" + ts:                     "has no v1= signature",
		"t=" + ts + ",v1=zz":          "has no v1= signature",
		"t=" + ts + ",v0=" + good:     "has no v1= signature",
		"t=" + ts + ",t=1,v1=" + good: "carries t twice",
		"t=1700000000,v1=" + hex.EncodeToString(hmacSHA256([]byte("whsec_old"), []byte("1700000000."), body)): "outside the 5m0s tolerance",
		"t=" + ts + ",v1=" + hex.EncodeToString(hmacSHA256([]byte("old"), []byte(ts+"."), body)):              "matches t and the body with any configured secret",
	} {
		err := v.Verify(Request{Header: http.Header{"Stripe-Signature": {header}}, Body: body})
		assert.ErrorContains(t, err, reason, "header %q", header)
	}
	for offset, ok := range map[time.Duration]bool{299 * time.Second: true, -299 * time.Second: true, 301 * time.Second: false, -301 * time.Second: false} {
		at, _ := NewSigner(scheme, Secrets{Secret: "whsec_old"}, VerifyOptions{Now: func() time.Time { return fixedNow.Add(offset) }})
		h := http.Header{}
		require.NoError(t, at.Sign(h, "", body))
		assert.Equal(t, ok, v.Verify(Request{Header: h, Body: body}) == nil, "signed %s from now", offset)
	}
}

func TestSchemeConfigErrors(t *testing.T) {
	_, err := NewVerifier(Scheme{Name: SchemeRapyd}, Secrets{AccessKey: "a"}, VerifyOptions{})
	assert.EqualError(t, err, `scheme "rapyd" needs a secret key`)
	_, err = NewVerifier(Scheme{Name: "hmac-md5"}, Secrets{}, VerifyOptions{})
	assert.ErrorContains(t, err, `unknown signature scheme "hmac-md5"`)
	_, err = NewVerifier(Scheme{Name: SchemeStandardWebhooks}, Secrets{Secret: "whsec_!!!"}, VerifyOptions{})
	assert.ErrorContains(t, err, "not whsec_<base64>")
	// Secrets of spaces are no secrets: refused, never a signer that panics.
	for _, scheme := range []string{SchemeStandardWebhooks, SchemeTazapay, SchemeIvy, SchemeStaticToken, SchemeStripe} {
		_, err = NewSigner(Scheme{Name: scheme}, Secrets{Secret: "   ", Token: "  "}, VerifyOptions{})
		assert.Error(t, err, scheme)
	}
	// A declared HMAC says what is wrong with its parameters, before any
	// secret is asked for.
	for params, want := range map[HMAC]string{
		{Digest: "md5"}:               `hmac digest "md5": use sha256 or sha512`,
		{Encoding: "base32"}:          `hmac encoding "base32": use hex or base64`,
		{Key: "utf16"}:                `hmac key "utf16": use raw, hex or base64`,
		{Message: "{body"}:            `hmac message "{body": "{body" is not closed`,
		{Message: "{id}.{body}"}:      `unknown field {id}`,
		{Message: "{header:}.{body}"}: `unknown field {header:}`,
	} {
		assert.ErrorContains(t, Scheme{Name: SchemeHMAC, Header: "X-Sig", HMAC: &params}.Check(), want)
	}
	assert.ErrorContains(t, Scheme{Name: SchemeHMAC, Header: "X-Sig"}.Check(), "needs its parameters")
	assert.ErrorContains(t, Scheme{Name: SchemeHMAC, HMAC: &HMAC{}}.Check(), "needs the header")
	assert.NoError(t, Scheme{Name: SchemeAdyenHMAC}.Check())
	v, err := NewVerifier(Scheme{Name: SchemeHMAC, Header: "X-Sig", HMAC: &HMAC{Message: "{header:webhook-id}.{body}"}}, Secrets{Secret: "s"}, VerifyOptions{})
	require.NoError(t, err)
	err = v.Verify(Request{Header: http.Header{"X-Sig": {"00"}}, Body: []byte(`{}`)})
	assert.EqualError(t, err, `signature: header "webhook-id", part of the signed message, is missing`)
	// Signing reads the headers the message names, which the caller sets.
	signer, err := NewSigner(Scheme{Name: SchemeHMAC, Header: "X-Sig", HMAC: &HMAC{Message: "{header:webhook-id}.{body}"}}, Secrets{Secret: "s"}, VerifyOptions{})
	require.NoError(t, err)
	h := http.Header{"Webhook-Id": {"msg_1"}}
	require.NoError(t, signer.Sign(h, "", []byte(`{}`)))
	assert.NoError(t, v.Verify(Request{Header: h, Body: []byte(`{}`)}))
	h.Set("Webhook-Id", "msg_2")
	assert.Error(t, v.Verify(Request{Header: h, Body: []byte(`{}`)}), "the header is signed")
	_, err = NewVerifier(Scheme{Name: SchemeTazapay}, Secrets{Secret: "s"}, VerifyOptions{})
	require.NoError(t, err)
	v, _ = NewVerifier(Scheme{Name: SchemeTazapay}, Secrets{Secret: "s"}, VerifyOptions{})
	err = v.Verify(Request{Header: http.Header{"Signature": {"x"}}, Body: []byte(`{"type":"x"}`)})
	assert.ErrorContains(t, err, "lacks the top-level id or created_at")
}

// FuzzVerify: for every scheme, on any body and any signature headers,
// Verify never panics and passes only when the headers are exactly what the
// signer produces for that body.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"id":"evt_1","created_at":1}`), "sig", "salt", "1700000000", "msg_1")
	f.Add([]byte(`not json`), "", "", "", "")
	f.Add([]byte(`{"id":"a","created_at":"\u00e9"}`), "v1,abc v1,def", "s", "x", "y")
	f.Fuzz(func(t *testing.T, body []byte, sig, salt, ts, id string) {
		for _, s := range schemes() {
			v, err := NewVerifier(s.scheme, s.secrets, VerifyOptions{Now: clock})
			require.NoError(t, err)
			h := http.Header{}
			for _, name := range []string{"x-security-token", "signature", "X-Ivy-Signature", "webhook-signature"} {
				h.Set(name, sig)
			}
			h.Set("salt", salt)
			h.Set("timestamp", ts)
			h.Set("webhook-timestamp", ts)
			h.Set("webhook-id", id)
			if v.Verify(Request{Header: h, URL: "https://x/rapyd", Body: body}) != nil {
				continue
			}
			// It passed: the fuzzer must have produced the real signature.
			switch k := v.(type) {
			case staticTokenKeyed:
				require.Equal(t, s.secrets.Token, sig)
			case rapydKeyed:
				require.Equal(t, k.signature("https://x/rapyd", salt, ts, body), sig)
			case tazapayKeyed:
				exp, err := k.signature(body)
				require.NoError(t, err)
				require.Equal(t, exp, sig)
			case hmacKeyed:
				want, err := k.signature(h, body)
				require.NoError(t, err)
				require.Equal(t, strings.ToLower(want), strings.ToLower(sig))
			case standardWebhooksKeyed:
				sec, _ := strconv.ParseInt(ts, 10, 64)
				require.InDelta(t, fixedNow.Unix(), sec, 300)
			default:
				t.Fatalf("no check for %T", v)
			}
		}
	})
}
