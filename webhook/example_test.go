package webhook_test

import (
	"fmt"
	"net/http"

	"github.com/payhooks/payhooks/webhook"
)

// A provider that signs with an HMAC of the body needs no Go: its scheme
// is declared by parameters. NewSigner is the inverse of NewVerifier, for
// tests and replays.
func ExampleNewSigner() {
	scheme := webhook.Scheme{Name: webhook.SchemeHMAC, Header: "X-Signature", HMAC: &webhook.HMAC{Prefix: "sha256="}}
	secrets := webhook.Secrets{Secret: "whsec-test"}
	body := []byte(`{"id":"evt_1","type":"payment.paid"}`)

	signer, err := webhook.NewSigner(scheme, secrets, webhook.VerifyOptions{})
	if err != nil {
		panic(err)
	}
	header := http.Header{}
	if err := signer.Sign(header, "", body); err != nil {
		panic(err)
	}
	fmt.Println(header.Get("X-Signature"))

	verifier, err := webhook.NewVerifier(scheme, secrets, webhook.VerifyOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(verifier.Verify(webhook.Request{Header: header, Body: body}))
	fmt.Println(verifier.Verify(webhook.Request{Header: header, Body: []byte(`{"id":"evt_2"}`)}))
	// Output:
	// sha256=3492712bf646c7d603cd089191dfa2469fd1d26f5cdb4855c6257070aceb8517
	// <nil>
	// signature: header "X-Signature" does not match the body
}

// Amounts keep the digits the provider sent: no float64 on the way.
func ExampleDecimal() {
	amount, err := webhook.ParseDecimal("1099.50")
	if err != nil {
		panic(err)
	}
	cents, exact := webhook.MustDecimal("100").Int64()
	fmt.Println(amount, amount.Rat().FloatString(2), cents, exact)
	// Output: 1099.50 1099.50 100 true
}

// Unix-second timestamps convert to time.Time; an absent one is the zero
// time, as getters return it.
func ExampleUnixSeconds() {
	fmt.Println(webhook.UnixSeconds(1692522001).Time().UTC())
	fmt.Println(webhook.UnixSeconds(0).Time().IsZero())
	// Output:
	// 2023-08-20 09:00:01 +0000 UTC
	// true
}

// A callback that cannot do its work now answers with a status of its
// choosing: 503 with Retry-After makes the provider retry later, and the
// delivery is not marked done.
func ExampleStatusError() {
	err := &webhook.StatusError{Code: http.StatusServiceUnavailable, Message: "orders database is down; retry later"}
	fmt.Println(err)
	// Output: 503 orders database is down; retry later
}
