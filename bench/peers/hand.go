// Package peers measures payhooks' generated decoders and encoders beside
// what a Go team would pick instead, on the bundled examples. It is a
// module of its own so that payhooks does not depend on its peers.
//
// The fair benchmark (BenchmarkDecode, rounds_test.go) decodes every
// bundled example into the full struct oapi-codegen v2.8 generates from the
// OpenAPI 3.1 document payhooks schemas export writes (oapi/<provider>),
// with encoding/json (the baseline), easyjson and a go-faster/jx decoder
// written as ogen generates its own, beside payhooks' Parse; the contenders
// take turns in rounds, and medians of wall and CPU time are reported.
// TestPeerStructsDeclareEveryMember holds that every member lands in a
// declared field, TestDecodersAgree that all decoders read the same values.
// BenchmarkLean keeps the hand-written structs below apart: a dozen fields
// read, the rest skipped.
//
//	cd bench/peers && go test -run '^$' -bench 'Decode|Lean' -benchtime 20x -count 3
//
// Everything generated is committed and made again by go generate: this
// file's easyjson code (hand_easyjson.go) and oapi/ (internal/peergen), with
// the tools at the versions go.mod's tool lines pin.
package peers

//go:generate go tool easyjson -all -no_std_marshalers hand.go
//go:generate go run ./internal/peergen

// The hand-written structs below are what a team writes without payhooks:
// the fields they read, plain types, floats for money, nothing kept for
// re-encoding.

type handFinmo struct {
	WebhookNotificationID string            `json:"webhook_notification_id"`
	EventName             string            `json:"event_name"`
	EventType             string            `json:"event_type"`
	CreatedAt             string            `json:"created_at"`
	EventDetail           handFinmoCheckout `json:"event_detail"`
}

type handFinmoCheckout struct {
	CheckoutID        string         `json:"checkout_id"`
	PayinID           *string        `json:"payin_id"`
	Amount            float64        `json:"amount"`
	Currency          string         `json:"currency"`
	Status            string         `json:"status"`
	AssociatedPayinID []string       `json:"associated_payin_id"`
	Metadata          map[string]any `json:"metadata"`
	CreatedAt         *string        `json:"created_at"`
}

type handRapyd struct {
	ID        string           `json:"id"`
	Type      string           `json:"type"`
	Status    string           `json:"status"`
	CreatedAt int64            `json:"created_at"`
	Data      handRapydPayment `json:"data"`
}

type handRapydPayment struct {
	ID           string            `json:"id"`
	Amount       float64           `json:"amount"`
	CurrencyCode string            `json:"currency_code"`
	Status       string            `json:"status"`
	Paid         bool              `json:"paid"`
	PaidAt       int64             `json:"paid_at"`
	Ewallets     []handRapydWallet `json:"ewallets"`
	Metadata     map[string]any    `json:"metadata"`
}

type handRapydWallet struct {
	EwalletID string  `json:"ewallet_id"`
	Amount    float64 `json:"amount"`
}

type handTazapay struct {
	ID        string              `json:"id"`
	Type      string              `json:"type"`
	CreatedAt string              `json:"created_at"`
	Data      handTazapayCheckout `json:"data"`
}

type handTazapayCheckout struct {
	ID              string              `json:"id"`
	Amount          int64               `json:"amount"`
	InvoiceCurrency string              `json:"invoice_currency"`
	PaymentStatus   string              `json:"payment_status"`
	Status          string              `json:"status"`
	CustomerDetails handTazapayCustomer `json:"customer_details"`
}

type handTazapayCustomer struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

type handAugustus struct {
	ID      string              `json:"id"`
	Type    string              `json:"type"`
	Date    string              `json:"date"`
	Payload handAugustusSession `json:"payload"`
}

type handAugustusSession struct {
	ID        string             `json:"id"`
	Price     handAugustusPrice  `json:"price"`
	LineItems []handAugustusItem `json:"lineItems"`
	Metadata  map[string]any     `json:"metadata"`
}

type handAugustusPrice struct {
	Total float64 `json:"total"`
	VAT   float64 `json:"vat"`
}

type handAugustusItem struct {
	Name     string  `json:"name"`
	Amount   float64 `json:"amount"`
	Quantity int     `json:"quantity"`
}
