package generated_test

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/schemas"
)

// Hand-written structs as a team writes them without payhooks: the fields
// they read, plain types, floats for money, nothing kept for re-encoding.
type handFinmo struct {
	WebhookNotificationID string `json:"webhook_notification_id"`
	EventName             string `json:"event_name"`
	EventType             string `json:"event_type"`
	CreatedAt             string `json:"created_at"`
	EventDetail           struct {
		CheckoutID        string          `json:"checkout_id"`
		PayinID           *string         `json:"payin_id"`
		Amount            float64         `json:"amount"`
		Currency          string          `json:"currency"`
		Status            string          `json:"status"`
		AssociatedPayinID json.RawMessage `json:"associated_payin_id"`
		Metadata          map[string]any  `json:"metadata"`
		CreatedAt         *string         `json:"created_at"`
	} `json:"event_detail"`
}

type handRapyd struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	CreatedAt int64  `json:"created_at"`
	Data      struct {
		ID           string  `json:"id"`
		Amount       float64 `json:"amount"`
		CurrencyCode string  `json:"currency_code"`
		Status       string  `json:"status"`
		Paid         bool    `json:"paid"`
		PaidAt       int64   `json:"paid_at"`
		Ewallets     []struct {
			EwalletID string  `json:"ewallet_id"`
			Amount    float64 `json:"amount"`
		} `json:"ewallets"`
		Metadata map[string]any `json:"metadata"`
	} `json:"data"`
}

type handTazapay struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt json.RawMessage `json:"created_at"`
	Data      struct {
		ID              string `json:"id"`
		Amount          int64  `json:"amount"`
		InvoiceCurrency string `json:"invoice_currency"`
		PaymentStatus   string `json:"payment_status"`
		Status          string `json:"status"`
		CustomerDetails struct {
			Email string `json:"email"`
			Name  string `json:"name"`
		} `json:"customer_details"`
	} `json:"data"`
}

type handAugustus struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Date    string `json:"date"`
	Payload struct {
		ID    string `json:"id"`
		Price struct {
			Total float64 `json:"total"`
			VAT   float64 `json:"vat"`
		} `json:"price"`
		LineItems []struct {
			Name     string  `json:"name"`
			Amount   float64 `json:"amount"`
			Quantity int     `json:"quantity"`
		} `json:"lineItems"`
		Metadata map[string]any `json:"metadata"`
	} `json:"payload"`
}

// decodeCases are the payloads BenchmarkDecode and the allocation test
// share: each provider's Parse beside encoding/json into the hand-written
// struct of the same payload.
func decodeCases() []decodeCase {
	return []decodeCase{
		{"finmo", "finmo/examples/CHECKOUT_COMPLETED.json", func(d []byte) error { _, err := finmo.Parse(d); return err }, func() any { return new(handFinmo) }},
		{"rapyd", "rapyd/examples/PAYMENT_COMPLETED.json", func(d []byte) error { _, err := rapyd.Parse(d); return err }, func() any { return new(handRapyd) }},
		{"tazapay", "tazapay/examples/checkout.paid.json", func(d []byte) error { _, err := tazapay.Parse(d); return err }, func() any { return new(handTazapay) }},
		{"augustus", "augustus/examples/checkout_session_completed.json", func(d []byte) error {
			_, err := augustus.Parse("/api/service/webhook-event/checkout_session_completed", d)
			return err
		}, func() any { return new(handAugustus) }},
	}
}

type decodeCase struct {
	name, file string
	typed      func([]byte) error
	hand       func() any
}

// event parses the case's body into its typed event.
func (c decodeCase) event(tb testing.TB, body []byte) json.Marshaler {
	var e any
	var err error
	switch c.name {
	case "finmo":
		e, err = finmo.Parse(body)
	case "rapyd":
		e, err = rapyd.Parse(body)
	case "tazapay":
		e, err = tazapay.Parse(body)
	case "augustus":
		e, err = augustus.Parse("/api/service/webhook-event/checkout_session_completed", body)
	}
	require.NoError(tb, err)
	return e.(json.Marshaler)
}

// The generated decoders allocate no more than encoding/json decoding the
// same payload into a hand-written struct that keeps far fewer of its
// fields (run without the race detector, which adds allocations).
func TestParseAllocatesNoMoreThanAHandWrittenStruct(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector adds allocations; make test runs this test again without -race")
	}
	for _, c := range decodeCases() {
		body, err := fs.ReadFile(schemas.FS, c.file)
		require.NoError(t, err)
		typed := testing.AllocsPerRun(100, func() { require.NoError(t, c.typed(body)) })
		hand := testing.AllocsPerRun(100, func() { require.NoError(t, json.Unmarshal(body, c.hand())) })
		assert.LessOrEqual(t, typed, hand, "%s: Parse %v allocations, encoding/json into the hand-written struct %v", c.name, typed, hand)
	}
}

// BenchmarkDecode compares, per provider and on the same example, the
// generated Parse (typed, exact money, unknown properties kept) with
// json.Unmarshal into any and into a hand-written struct.
func BenchmarkDecode(b *testing.B) {
	cases := decodeCases()
	for _, c := range cases {
		body, err := fs.ReadFile(schemas.FS, c.file)
		require.NoError(b, err)
		run := func(name string, fn func() error) {
			b.Run(c.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if err := fn(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("json.Unmarshal-any", func() error { var v any; return json.Unmarshal(body, &v) })
		run("json.Unmarshal-hand-written", func() error { return json.Unmarshal(body, c.hand()) })
		run("payhooks-Parse", func() error { return c.typed(body) })
	}
}

// BenchmarkEncode compares, per provider, json.Marshal of the hand-written
// struct with the generated MarshalJSON of the typed event (every field,
// exact money, unknown properties and explicit nulls kept), called
// directly and through json.Marshal, which re-checks and compacts what a
// MarshalJSON returns. The hand-written struct keeps a few of the fields,
// so MB/s are of each contender's own output: the rate at which it writes
// JSON.
func BenchmarkEncode(b *testing.B) {
	for _, c := range decodeCases() {
		body, err := fs.ReadFile(schemas.FS, c.file)
		require.NoError(b, err)
		hand := c.hand()
		require.NoError(b, json.Unmarshal(body, hand))
		typed := c.event(b, body)
		run := func(name string, fn func() ([]byte, error)) {
			out, err := fn()
			require.NoError(b, err)
			b.Run(c.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(out)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := fn(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("json.Marshal-hand-written", func() ([]byte, error) { return json.Marshal(hand) })
		run("payhooks-MarshalJSON", typed.MarshalJSON)
		run("payhooks-via-json.Marshal", func() ([]byte, error) { return json.Marshal(typed) })
	}
}
