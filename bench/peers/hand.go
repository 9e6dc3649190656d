// Package peers measures payhooks' generated decoders and encoders beside
// what a Go team would pick instead, on the bundled examples, in one
// go test -bench run: encoding/json, easyjson-generated code and a
// hand-written go-faster/jx decoder (the scanner ogen's generated code
// uses), all three on hand-written structs of the same payloads. It is a
// module of its own so that payhooks does not depend on its peers.
//
//	cd bench/peers && go test -run '^$' -bench . -benchmem
//
// hand_easyjson.go is generated from this file (go generate) and committed.
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
