package generated_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/adyenpayment"
	"github.com/payhooks/payhooks/generated/adyentokenization"
	"github.com/payhooks/payhooks/generated/adyentransfer"
	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/schemas"
)

// parse routes a bundled example through its provider's generated Parse.
func parse(t *testing.T, provider, event string, body []byte) (any, string, error) {
	t.Helper()
	switch provider {
	case "finmo":
		e, err := finmo.Parse(body)
		return e, nameOf(e), err
	case "rapyd":
		e, err := rapyd.Parse(body)
		return e, nameOf(e), err
	case "tazapay":
		e, err := tazapay.Parse(body)
		return e, nameOf(e), err
	case "augustus":
		e, err := augustus.Parse("/api/service/webhook-event/"+event, body)
		return e, nameOf(e), err
	case "adyenpayment":
		e, err := adyenpayment.Parse(body)
		return e, nameOf(e), err
	case "adyentokenization":
		e, err := adyentokenization.Parse(body)
		return e, nameOf(e), err
	case "adyentransfer":
		e, err := adyentransfer.Parse(body)
		return e, nameOf(e), err
	}
	t.Fatalf("no generated package for %q", provider)
	return nil, "", nil
}

func nameOf(e any) string {
	if e == nil || reflect.ValueOf(e).IsNil() {
		return ""
	}
	return fmt.Sprint(reflect.ValueOf(e).MethodByName("Name").Call(nil)[0].Interface())
}

func examples(t *testing.T) []*catalog.Example {
	t.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	var out []*catalog.Example
	for _, p := range cat.Providers {
		out = append(out, p.Examples...)
	}
	require.NotEmpty(t, out)
	return out
}

func providerOf(path string) string { return path[:strings.IndexByte(path, '/')] }

// Every bundled example decodes into its event's type and encodes back to
// the same document: unknown properties included, numbers with the same
// digits, timestamps at the same instant.
func TestExamplesRoundTrip(t *testing.T) {
	for _, ex := range examples(t) {
		t.Run(ex.Path, func(t *testing.T) {
			body, err := fs.ReadFile(schemas.FS, ex.Path)
			require.NoError(t, err)
			e, name, err := parse(t, providerOf(ex.Path), ex.Event, body)
			require.NoError(t, err)
			assert.Equal(t, ex.Event, name)
			assert.NotContains(t, fmt.Sprintf("%T", e), "UnknownEvent")
			out, err := json.Marshal(e)
			require.NoError(t, err)
			assertSameDocument(t, body, out)
		})
	}
}

// Additive drift: an extra property and an unknown enum value decode, and
// both are reachable.
func TestAdditiveDriftDecodes(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	body = bytes.Replace(body, []byte(`"status": "CLO"`), []byte(`"status": "PEN", "risk_score": {"value": 0.25}`), 1)
	body = bytes.Replace(body, []byte(`"type": "PAYMENT_COMPLETED"`), []byte(`"type": "PAYMENT_COMPLETED", "livemode": true`), 1)
	e, err := rapyd.Parse(body)
	require.NoError(t, err)
	pc := e.(*rapyd.PaymentCompletedEvent)
	require.NotNil(t, pc.Data.Status)
	assert.Equal(t, rapyd.PaymentStatus("PEN"), *pc.Data.Status)
	assert.False(t, pc.Data.Status.Known())
	assert.True(t, rapyd.PaymentStatusCLO.Known())
	assert.JSONEq(t, `{"value": 0.25}`, string(pc.Data.Extra["risk_score"]))
	assert.JSONEq(t, `true`, string(pc.Extra["livemode"]))
	out, err := json.Marshal(pc)
	require.NoError(t, err)
	assertSameDocument(t, body, out)
}

func TestMoneyKeepsItsDigits(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "augustus/examples/checkout_session_completed.json")
	require.NoError(t, err)
	e, err := augustus.Parse("/api/service/webhook-event/checkout_session_completed", body)
	require.NoError(t, err)
	price := e.(*augustus.CheckoutSessionCompletedEvent).Payload.Price
	require.NotNil(t, price)
	assert.Equal(t, "1.01", price.Total.String())
	assert.Equal(t, "101/100", price.Total.Rat().RatString())

	body, err = fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_EXPIRED.json")
	require.NoError(t, err)
	fe, err := finmo.Parse(body)
	require.NoError(t, err)
	assert.Equal(t, "1250.75", fe.(*finmo.CheckoutExpiredEvent).EventDetail.Amount.String())

	body, err = fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	te, err := tazapay.Parse(body)
	require.NoError(t, err)
	assert.Equal(t, int64(6700), te.(*tazapay.CheckoutPaidEvent).GetData().GetAmount(), "minor units are int64")
}

func TestUnionsAreRealUnions(t *testing.T) {
	for file, wantList := range map[string]bool{"finmo/examples/CHECKOUT_COMPLETED.json": true, "finmo/examples/CHECKOUT_CANCELLED.json": false} {
		body, err := fs.ReadFile(schemas.FS, file)
		require.NoError(t, err)
		e, err := finmo.Parse(body)
		require.NoError(t, err)
		var detail *finmo.Checkout
		switch ev := e.(type) {
		case *finmo.CheckoutCompletedEvent:
			detail = ev.EventDetail
		case *finmo.CheckoutCancelledEvent:
			detail = ev.EventDetail
		}
		require.NotNil(t, detail.AssociatedPayinID)
		if wantList {
			assert.Equal(t, []string{"payin_32fa75e38df44b389215bc783a0bc5d5"}, detail.AssociatedPayinID.List)
			assert.Nil(t, detail.AssociatedPayinID.ByMethod)
		} else {
			assert.Equal(t, map[string]string{"au_bank_npp": "payin_5ffced0ca14f4aa3964a212db3f78463"}, detail.AssociatedPayinID.ByMethod)
			assert.Nil(t, detail.AssociatedPayinID.List)
		}
	}
}

// A union of closed objects with no tag to read (Adyen's categoryData
// without its "type") decodes into the variant Adyen's own document picks:
// the one that declares the object's members, not the first that takes an
// object, as payhooks validate decides it.
func TestAUnionOfClosedObjectsDecodesTheVariantTheDocumentPicks(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "adyentransfer/examples/balancePlatform.transfer.updated.2.json")
	require.NoError(t, err)
	const tagged = `"categoryData": {
      "priority": "regular",
      "type": "bank"
    }`
	require.Contains(t, string(body), tagged)
	decode := func(categoryData string) *adyentransfer.TransferDataCategoryData {
		e, err := adyentransfer.Parse([]byte(strings.Replace(string(body), tagged, `"categoryData": `+categoryData, 1)))
		require.NoError(t, err, categoryData)
		data := e.(*adyentransfer.BalancePlatformTransferUpdatedEvent).GetData()
		return data.GetCategoryData()
	}
	assert.NotNil(t, decode(`{"priority": "regular"}`).BankCategoryData)
	assert.NotNil(t, decode(`{"modificationMerchantReference": "r", "paymentMerchantReference": "p"}`).PlatformPayment)
	assert.NotNil(t, decode(`{"modificationMerchantReference": "r", "modificationPspReference": "q"}`).InternalCategoryData)
	assert.NotNil(t, decode(`{"modificationMerchantReference": "r", "type": "platformPayment"}`).PlatformPayment, "the tag decides first")
	assert.NotNil(t, decode(`{"priority": "regular", "bankRef": "x"}`).BankCategoryData, "fewest members it does not declare")
}

func TestTazapayTimestampsInEveryDocumentedShape(t *testing.T) {
	for raw, want := range map[string]time.Time{
		`958793503`:                        time.Unix(958793503, 0).UTC(),
		`"2023-12-25T21:59:59.123456789Z"`: time.Date(2023, 12, 25, 21, 59, 59, 123456789, time.UTC),
		`"2023-12-25 21:59:59"`:            time.Date(2023, 12, 25, 21, 59, 59, 0, time.UTC),
	} {
		var ts tazapay.Timestamp
		require.NoError(t, json.Unmarshal([]byte(raw), &ts), raw)
		assert.True(t, want.Equal(ts.Time()), "%s: got %v", raw, ts.Time())
		out, err := json.Marshal(ts)
		require.NoError(t, err)
		assertSameDocument(t, []byte(raw), out)
	}
	var ts tazapay.Timestamp
	err := json.Unmarshal([]byte(`"Dec 25"`), &ts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no variant of Timestamp fits")
}

// An empty object in an optional map field and an empty array cost no
// allocation: the map stays nil (the struct remembers the {} as it does a
// null), the slice is empty but not nil; both come back on encoding.
func TestEmptyContainersCostNothingAndComeBack(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	require.Contains(t, string(body), `"metadata": {}`)
	require.Contains(t, string(body), `"payment_attempts": []`)
	e, err := tazapay.Parse(body)
	require.NoError(t, err)
	data := e.(*tazapay.CheckoutPaidEvent).Data
	assert.Nil(t, data.Metadata)
	assert.Nil(t, data.BillingDetails)
	assert.NotNil(t, data.PaymentAttempts)
	assert.Empty(t, data.PaymentAttempts)
	out, err := json.Marshal(e)
	require.NoError(t, err)
	assertSameDocument(t, body, out)

	if race.Enabled {
		return // the race detector adds allocations
	}
	// The same body with the empty containers given one member or item:
	// each then costs what holding it costs.
	filled := strings.NewReplacer(`"metadata": {}`, `"metadata": {"k": 1}`, `"billing_details": {}`, `"billing_details": {"k": 1}`,
		`"shipping_details": {}`, `"shipping_details": {"k": 1}`, `"payment_attempts": []`, `"payment_attempts": [1]`).Replace(string(body))
	allocs := func(body []byte) float64 {
		return testing.AllocsPerRun(100, func() {
			_, err := tazapay.Parse(body)
			require.NoError(t, err)
		})
	}
	empty, full := allocs(body), allocs([]byte(filled))
	assert.GreaterOrEqual(t, full-empty, 4.0, "%v allocations with the containers empty, %v with one member or item each", empty, full)
}

func TestDecodeErrorsNameThePointer(t *testing.T) {
	cases := []struct{ file, from, to, want string }{
		{"tazapay/examples/checkout.paid.json", `"amount": 6700`, `"amount": "67.5"`, `/data/amount: expected integer that fits 64 bits, got number 67.5`},
		{"tazapay/examples/checkout.paid.json", `"amount": 6700`, `"amount": "6,700"`, `/data/amount: expected integer, got string`},
		{"finmo/examples/CHECKOUT_COMPLETED.json", `"amount": 100`, `"amount": {}`, `/event_detail/amount: expected number, got object`},
		{"finmo/examples/CHECKOUT_COMPLETED.json", `"associated_payin_id": [`, `"associated_payin_id": [true, `, `/event_detail/associated_payin_id/0: expected string, got boolean`},
		{"finmo/examples/CHECKOUT_COMPLETED.json", `"associated_payin_id": [`, `"associated_payin_id": "x", "y": [`, `/event_detail/associated_payin_id: no variant of AssociatedPayinID fits: expected object or array, got string`},
		{"rapyd/examples/PAYMENT_COMPLETED.json", `"percent": 100,`, `"percent": "100%",`, `/data/ewallets/0/percent: expected number, got string`},
		{"rapyd/examples/PAYMENT_COMPLETED.json", `"paid": true`, `"paid": "yes"`, `/data/paid: expected boolean, got string`},
	}
	for _, tc := range cases {
		body, err := fs.ReadFile(schemas.FS, tc.file)
		require.NoError(t, err)
		mutated := strings.Replace(string(body), tc.from, tc.to, 1)
		require.NotEqual(t, string(body), mutated, "the test's edit must apply to %s", tc.file)
		_, _, err = parse(t, providerOf(tc.file), "", []byte(mutated))
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestUnknownEventIsNotAnError(t *testing.T) {
	e, err := finmo.Parse([]byte(`{"event_name": "PAYIN_COMPLETED", "webhook_notification_id": "webhook_1"}`))
	require.NoError(t, err)
	u, ok := e.(*finmo.UnknownEvent)
	require.True(t, ok)
	assert.Equal(t, finmo.EventName("PAYIN_COMPLETED"), u.Name())
	_, err = finmo.Parse([]byte(`{"event_name": `))
	assert.Error(t, err)
	id, ok := finmo.DeliveryID([]byte(`{"webhook_notification_id": "webhook_1"}`))
	assert.True(t, ok)
	assert.Equal(t, "webhook_1", id)
}

// assertSameDocument compares two JSON documents: same members whatever
// their order, numbers by their digits, and strings that are both RFC 3339
// timestamps by the instant they denote.
func assertSameDocument(t *testing.T, want, got []byte) {
	t.Helper()
	w, g := decodeNumbers(t, want), decodeNumbers(t, got)
	if diff := documentDiff(w, g, ""); diff != "" {
		t.Errorf("documents differ at %s\nwant: %s\ngot:  %s", diff, want, got)
	}
}

func decodeNumbers(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), string(data))
	return v
}

func documentDiff(want, got any, ptr string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s (object members %v vs %v)", ptr, keys(w), keysAny(got))
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return ptr + "/" + k + " (missing)"
			}
			if d := documentDiff(wv, gv, ptr+"/"+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return ptr + " (array length)"
		}
		for i := range w {
			if d := documentDiff(w[i], g[i], fmt.Sprintf("%s/%d", ptr, i)); d != "" {
				return d
			}
		}
		return ""
	case string:
		g, ok := got.(string)
		if !ok {
			return ptr
		}
		if w == g {
			return ""
		}
		wt, werr := time.Parse(time.RFC3339Nano, w)
		gt, gerr := time.Parse(time.RFC3339Nano, g)
		if werr == nil && gerr == nil && wt.Equal(gt) {
			return ""
		}
		return fmt.Sprintf("%s (%q vs %q)", ptr, w, g)
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("%s (%v vs %v)", ptr, want, got)
	}
	return ""
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func keysAny(v any) []string {
	if m, ok := v.(map[string]any); ok {
		return keys(m)
	}
	return nil
}

// A repeated discriminator names the event the way encoding/json reads
// it, the last one winning, though Parse takes the first to start decoding
// without a pass over the whole body.
// A member sent twice is read afresh the second time, as encoding/json
// reads a repeated name: the last value, not a mix of both.
func TestRepeatedMemberIsReadAfresh(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	twice := strings.Replace(string(body), `"created_at": "2023-12-25T22:00:01.538212317Z",`, `"created_at": 958793503, "created_at": "2023-12-25 21:59:59",`, 1)
	require.NotEqual(t, string(body), twice)
	e, err := tazapay.Parse([]byte(twice))
	require.NoError(t, err)
	created := e.(*tazapay.CheckoutPaidEvent).CreatedAt
	assert.Nil(t, created.UnixSeconds, "the first value is gone")
	require.NotNil(t, created.DateAndTime)
	assert.Equal(t, time.Date(2023, 12, 25, 21, 59, 59, 0, time.UTC), created.DateAndTime.Time)
}

func TestRepeatedDiscriminatorLastWins(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	open := strings.TrimSuffix(strings.TrimSpace(string(body)), "}")
	for suffix, want := range map[string]string{
		`, "type": "PAYMENT_FAILED"}`:                              "PaymentFailedEvent",
		`, "type": "PAYMENT_FAILED", "type": "PAYMENT_COMPLETED"}`: "PaymentCompletedEvent",
		`, "type": "NOT_DOCUMENTED"}`:                              "UnknownEvent",
		`, "type": 7}`:                                             "UnknownEvent",
	} {
		e, err := rapyd.Parse([]byte(open + suffix))
		require.NoError(t, err, suffix)
		assert.Equal(t, want, typeName(e), suffix)
	}
	// And an unknown first name with a known last one decodes the last.
	first := strings.Replace(string(body), `"type": "PAYMENT_COMPLETED"`, `"type": "NOT_DOCUMENTED"`, 1)
	require.NotEqual(t, string(body), first)
	e, err := rapyd.Parse([]byte(strings.TrimSuffix(strings.TrimSpace(first), "}") + `, "type": "PAYMENT_EXPIRED"}`))
	require.NoError(t, err)
	assert.Equal(t, "PaymentExpiredEvent", typeName(e))
}
