package generator_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator/testdata/golden/chosen/want/chosen"
	"github.com/payhooks/payhooks/generator/testdata/golden/enums/want/enu"
	"github.com/payhooks/payhooks/generator/testdata/golden/maps/want/mp"
	"github.com/payhooks/payhooks/generator/testdata/golden/openapi/want/hooks"
	"github.com/payhooks/payhooks/generator/testdata/golden/optional/want/opt"
	"github.com/payhooks/payhooks/generator/testdata/golden/scalars/want/sca"
	"github.com/payhooks/payhooks/generator/testdata/golden/structs/want/shop"
	"github.com/payhooks/payhooks/generator/testdata/golden/unions/want/uni"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// The golden packages are also run: each mapping rule behaves as its
// generated code says.

func roundTrip(t *testing.T, in string, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(in), v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
}

func TestGoldenUnions(t *testing.T) {
	var e uni.PaymentMadeEvent
	roundTrip(t, `{"id": "1", "type": "payment.made",
	  "payin_ids": ["a", "b"], "method": {"type": "bank", "iban": "DE00"},
	  "payer": {"vat_id": "DE1"}, "history": ["x", 3], "maybe": null}`, &e)
	assert.Equal(t, []string{"a", "b"}, e.PayinIDs.List, "by kind")
	require.NotNil(t, e.Method.Bank, "by discriminator")
	assert.Nil(t, e.Method.Card)
	assert.Equal(t, "DE00", e.Method.Bank.Iban)
	require.NotNil(t, e.Payer.Company, "by shape")
	assert.Nil(t, e.Payer.Person)
	require.Len(t, e.History, 2, "array of unions")
	assert.Equal(t, "x", *e.History[0].String)
	assert.Equal(t, int64(3), *e.History[1].Integer)
	assert.Nil(t, e.Maybe, "a null variant makes a nullable field")

	err := json.Unmarshal([]byte(`{"id": "1", "type": "payment.made", "method": {"type": "cash"}}`), &e)
	require.Error(t, err, "no variant fits")
	assert.Contains(t, err.Error(), "/method: no variant of PaymentMadeEventMethod fits")
	err = json.Unmarshal([]byte(`{"id": "1", "type": "payment.made", "method": {"type": "card", "last4": true}}`), &e)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/method/last4: expected string, got boolean", "the chosen variant's own error")
	// A number where a string is declared decodes into its digits.
	require.NoError(t, json.Unmarshal([]byte(`{"id": "1", "type": "payment.made", "method": {"type": "card", "last4": 4242}}`), &e))
	assert.Equal(t, "4242", e.Method.Card.Last4)
}

func TestGoldenOptional(t *testing.T) {
	var e opt.ThingUpdatedEvent
	in := `{"id": "1", "type": "thing.updated", "required_value": "a", "required_nullable": null, "optional_nullable": null, "nullable_map": null}`
	roundTrip(t, in, &e)
	assert.Equal(t, "a", e.RequiredValue)
	assert.Nil(t, e.RequiredNullable)
	assert.Nil(t, e.OptionalValue)
	assert.Nil(t, e.OptionalNullable)

	// A value built in code encodes without the absent optional fields.
	out, err := json.Marshal(opt.ThingUpdatedEvent{ID: "2", Type: "thing.updated", RequiredValue: "b"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id": "2", "type": "thing.updated", "required_value": "b", "required_nullable": null}`, string(out))

	err = json.Unmarshal([]byte(`{"id": "1", "type": "thing.updated", "required_value": null}`), &e)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/required_value: null where string expected")
}

func TestGoldenEnums(t *testing.T) {
	var e enu.PaymentDoneEvent
	roundTrip(t, `{"id": "1", "type": "payment.done", "status": "RET", "next_action": "3d_verification", "stage": "archived", "object": "payment", "kind": "only_one"}`, &e)
	assert.False(t, e.Status.Known(), "unknown values decode")
	assert.Equal(t, enu.WebhookStatus("RET"), *e.Status)
	assert.True(t, enu.WebhookStatusCLO.Known())
	assert.Equal(t, enu.PaymentDoneEventNextActionX3dVerification, *e.NextAction)
	assert.False(t, e.Stage.Known())
	assert.True(t, enu.PaymentDoneEventStageActive.Known())
	assert.Equal(t, "payment", *e.Object, "a const is a plain string")
	assert.Equal(t, "only_one", *e.Kind, "a one-value enum is a plain string")
}

func TestGoldenScalars(t *testing.T) {
	var e sca.ChargePaidEvent
	roundTrip(t, `{"id": "1", "type": "charge.paid", "created_at": 1692522784, "amount": 1.10, "amount_minor": 110,
	  "fx_rate": 0.000123456789012345678901, "paid": true, "paid_at": "2023-12-25T21:59:59.5+01:00",
	  "extended_timestamp": 1692522919674, "local_time": "2023-12-25 21:59:59", "when": 958793503}`, &e)
	assert.Equal(t, "1.10", e.Amount.String(), "digits kept")
	assert.Equal(t, "0.000123456789012345678901", e.FxRate.String())
	assert.Equal(t, int64(110), *e.AmountMinor)
	assert.Equal(t, time.Date(2023, 8, 20, 9, 13, 4, 0, time.UTC), e.CreatedAt.Time())
	assert.Equal(t, time.UnixMilli(1692522919674).UTC(), e.ExtendedTimestamp.Time())
	assert.Equal(t, time.Date(2023, 12, 25, 21, 59, 59, 0, time.UTC), e.LocalTime.Time)
	assert.Equal(t, time.Unix(958793503, 0).UTC(), e.When.Time())
	out, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"amount":1.10`)
	assert.Contains(t, string(out), `"paid_at":"2023-12-25T21:59:59.5+01:00"`, "never moved")

	err = json.Unmarshal([]byte(`{"id": "1", "type": "charge.paid", "amount": "1,10"}`), &e)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/amount: expected number, got string")
	// A quoted amount that is exactly a number decodes, digits kept, and
	// encodes as the declared number.
	require.NoError(t, json.Unmarshal([]byte(`{"id": "1", "type": "charge.paid", "amount": "1.10"}`), &e))
	assert.Equal(t, "1.10", e.Amount.String())
	out, err = json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"amount":1.10`)
}

func TestGoldenMapsAndStructs(t *testing.T) {
	var m mp.ThingTaggedEvent
	roundTrip(t, `{"id": "1", "type": "thing.tagged", "labels": {"a": "b"}, "metadata": {"order-id": 29292, "x": [1.50]},
	  "counts": {"k": {"n": 2, "extra": true}}, "anything": [1, "two", {"three": 3}]}`, &m)
	assert.Equal(t, "b", m.Labels["a"])
	assert.Equal(t, json.RawMessage(`29292`), m.Metadata["order-id"])
	assert.Equal(t, int64(2), *m.Counts["k"].N)

	var s shop.OrderCreatedEvent
	roundTrip(t, `{"id": "1", "type": "order.created", "checkout_id": "xo_1", "order-id": "o1", "customer": {
	  "billing": {"line1": "1 Road"}, "shipping": {"line1": "2 Road", "floor": 3}, "phone": {"number": "555"}}}`, &s)
	assert.Equal(t, "1 Road", *s.Customer.Billing.Line1)
	var shared shop.Address = *s.Customer.Shipping // one type for a reused $def
	assert.JSONEq(t, `3`, string(shared.Extra["floor"]))
	assert.Equal(t, "555", *s.Customer.Phone.Number)
	assert.Equal(t, "o1", *s.OrderID)
}

// A provider whose schema declares its HMAC by parameters (here GitHub's
// style: "sha256=" and hex, over the delivery header and the body) gets a
// working handler with no Go code: a signature computed independently of
// payhooks passes, a forged one does not.
func TestGoldenDeclaredHMACVerifies(t *testing.T) {
	h, err := mp.NewHandler(webhook.Secrets{Secret: "gh-secret"})
	require.NoError(t, err)
	body := []byte(`{"id": "1", "type": "thing.tagged", "labels": {"a": "b"}}`)
	mac := hmac.New(sha256.New, []byte("gh-secret"))
	mac.Write([]byte("d-1." + string(body)))
	for sig, want := range map[string]int{"sha256=" + hex.EncodeToString(mac.Sum(nil)): http.StatusOK, "sha256=" + strings.Repeat("0", 64): http.StatusUnauthorized} {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/mp", bytes.NewReader(body))
		r.Header.Set("X-Hub-Delivery", "d-1")
		r.Header.Set("X-Hub-Signature-256", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, want, w.Code, w.Body.String())
	}
}

func TestGoldenOpenAPIRoutesByPath(t *testing.T) {
	e, err := hooks.Parse("/hooks/session_closed", []byte(`{"id": "1", "payload": {"price": 1.01}}`))
	require.NoError(t, err)
	closed := e.(*hooks.SessionClosedEvent)
	assert.Equal(t, "1.01", closed.Payload.Price.String())
	e, err = hooks.Parse("", []byte(`{"id": "1", "type": "session_closed", "payload": {}}`))
	require.NoError(t, err)
	assert.Equal(t, hooks.EventSessionClosed, e.Name(), "the body's type when the path has none")
	e, err = hooks.Parse("/hooks/session_opened", []byte(`{"id": "1"}`))
	require.NoError(t, err)
	assert.Equal(t, hooks.EventName("session_opened"), e.(*hooks.UnknownEvent).Event)
	// Two webhooks with one request schema: a type each, each naming its
	// event (this once refused to generate).
	e, err = hooks.Parse("/hooks/session_expired", []byte(`{"id": "2", "payload": {"price": 2}}`))
	require.NoError(t, err)
	expired := e.(*hooks.SessionExpiredEvent)
	assert.Equal(t, hooks.EventSessionExpired, expired.Name())
	assert.Equal(t, "2", expired.Payload.Price.String())
}

// Generated for some events only (payhooks generate -events), a package
// treats the others as it treats an event the schemas do not know: Parse
// gives an *UnknownEvent, the handler acknowledges and reports it, and the
// drift check says unknown_event, the same findings as for a made-up event.
func TestGoldenChosenEventsTreatTheOthersAsUnknown(t *testing.T) {
	assert.Equal(t, []chosen.EventName{chosen.EventOrderCreated, chosen.EventRefundCreated, chosen.EventRefundFailed}, chosen.Events)
	paid := []byte(`{"id": "2", "type": "order.paid", "data": {"order_id": "o1", "card": {"last4": "4242"}}}`)
	e, err := chosen.Parse("/hooks/order.paid", paid)
	require.NoError(t, err)
	assert.Equal(t, chosen.EventName("order.paid"), e.(*chosen.UnknownEvent).Event)

	check, err := chosen.Drift()
	require.NoError(t, err)
	assert.Empty(t, check.Check("order.created", []byte(`{"id": "1", "type": "order.created", "data": {"id": "o1", "total": {"amount": 1.01}}}`)))
	kinds := func(findings []drift.Finding) (out []string) {
		for _, f := range findings {
			out = append(out, string(f.Kind)+" "+string(f.Severity))
		}
		return out
	}
	notChosen := kinds(check.Check("order.paid", paid))
	assert.Equal(t, []string{"unknown_event warning"}, notChosen)
	assert.Equal(t, kinds(check.Check("order.shipped", bytes.Replace(paid, []byte("order.paid"), []byte("order.shipped"), 1))), notChosen,
		"an event left out gets what an unknown event gets, no more")

	var unhandled []webhook.Delivery
	var created []string
	h, err := chosen.NewHandler(webhook.Secrets{}, webhook.WithInsecureSkipVerify(), webhook.WithLogger(slog.New(slog.DiscardHandler)),
		webhook.WithUnhandledHook(func(_ context.Context, d webhook.Delivery) { unhandled = append(unhandled, d) }))
	require.NoError(t, err)
	h.OnOrderCreated(func(_ context.Context, e *chosen.OrderCreatedEvent) error {
		created = append(created, e.Data.ID)
		return nil
	})
	post := func(path string, body []byte) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+path, bytes.NewReader(body)))
		return w
	}
	w := post("/hooks/order.paid", paid)
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Len(t, unhandled, 1)
	assert.Equal(t, "order.paid", unhandled[0].Event)
	assert.False(t, unhandled[0].Known)
	w = post("/hooks/order.created", []byte(`{"id": "3", "type": "order.created", "data": {"id": "o3"}}`))
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, []string{"o3"}, created)
}
