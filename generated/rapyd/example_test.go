package rapyd_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/payhooks/payhooks/webhook/drift"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
)

// Parse routes a body by its "type" to the event's Go type. Getters are
// nil-safe, amounts keep their digits, and an event the schemas do not
// know is an *UnknownEvent, not an error.
func ExampleParse() {
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	if err != nil {
		panic(err)
	}
	for _, b := range [][]byte{body, []byte(`{"id": "wh_2", "type": "PAYOUT_COMPLETED"}`)} {
		e, err := rapyd.Parse(b)
		if err != nil {
			panic(err) // only a value no Go type can hold; the error names its JSON pointer
		}
		switch e := e.(type) {
		case *rapyd.PaymentCompletedEvent:
			p := e.GetData()
			fmt.Println(p.GetID(), p.GetAmount(), p.GetCurrencyCode(), p.GetStatus(), p.GetStatus().Known())
			fmt.Println(p.GetPaidAt().Time().UTC())
		case *rapyd.UnknownEvent:
			fmt.Println("unknown event", e.Name())
		}
	}
	// Output:
	// payment_73e7b358841400509e208bd1213e38a7 1099.5 USD CLO true
	// 2023-08-20 09:16:41 +0000 UTC
	// unknown event PAYOUT_COMPLETED
}

// Test a callback as Rapyd would call it: a delivery signed with test
// secrets (webhook.NewSigner is the inverse of the handler's verifier),
// served by the handler the service mounts, answered into a recorder.
func ExampleNewHandler() {
	secrets := webhook.Secrets{AccessKey: "test-access", SecretKey: "test-secret"}
	h, err := rapyd.NewHandler(secrets)
	if err != nil {
		panic(err)
	}
	var paid []string
	h.OnPaymentCompleted(func(ctx context.Context, e *rapyd.PaymentCompletedEvent) error {
		paid = append(paid, e.GetData().GetID())
		return nil
	})

	body, _ := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	signer, err := webhook.NewSigner(rapyd.Scheme, secrets, webhook.VerifyOptions{})
	if err != nil {
		panic(err)
	}
	for range 2 { // a retry of the same delivery runs the callback once
		const url = "http://shop.example/rapyd"
		req := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err := signer.Sign(req.Header, url, body); err != nil {
			panic(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()), paid)
	}
	// Output:
	// 200 ok [payment_73e7b358841400509e208bd1213e38a7]
	// 200 ok: duplicate delivery [payment_73e7b358841400509e208bd1213e38a7]
}

// Drift is reported to the hook and the delivery still dispatched:
// Rapyd added a property its schema does not declare.
func ExampleNewHandler_driftHook() {
	secrets := webhook.Secrets{AccessKey: "test-access", SecretKey: "test-secret"}
	h, err := rapyd.NewHandler(secrets, webhook.WithDriftHook(func(_ context.Context, d webhook.Delivery, findings []drift.Finding) {
		for _, f := range findings {
			fmt.Println(d.Event, f.Severity, f.Kind, f.Pointer)
		}
	}))
	if err != nil {
		panic(err)
	}
	h.OnPaymentCompleted(func(ctx context.Context, e *rapyd.PaymentCompletedEvent) error {
		fmt.Println("dispatched", string(e.GetData().Extra["risk_score"]))
		return nil
	})

	example, _ := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	body := bytes.Replace(example, []byte(`"data": {`), []byte(`"data": {"risk_score": 12, `), 1)
	const url = "http://shop.example/rapyd"
	req := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	signer, _ := webhook.NewSigner(rapyd.Scheme, secrets, webhook.VerifyOptions{})
	if err := signer.Sign(req.Header, url, body); err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// PAYMENT_COMPLETED info unknown_property /data/risk_score
	// dispatched 12
	// 200
}
