// Command receiver is the smallest Stripe receiver payhooks gives: the
// generated handler for the events a shop acts on, on one mux, with its
// secrets from PAYHOOKS_STRIPE_SECRET. Its size is the receiver binary
// figure docs/providers.md quotes (go build -o receiver ./internal/receiver).
package main

import (
	"context"
	"log"
	"net/http"

	"github.com/payhooks/payhooks/bench/stripe/stripe"
)

func main() {
	h, err := stripe.NewHandler(stripe.SecretsFromEnv())
	if err != nil {
		log.Fatal(err)
	}
	h.OnPaymentIntentSucceeded(func(_ context.Context, e *stripe.PaymentIntentSucceededEvent) error {
		pi := e.GetData().GetObject()
		log.Printf("paid: %s %d %s", pi.GetID(), pi.GetAmount(), pi.GetCurrency())
		return nil
	})
	h.OnCheckoutSessionCompleted(func(_ context.Context, e *stripe.CheckoutSessionCompletedEvent) error {
		log.Printf("checkout completed: %s", e.GetData().GetObject().GetID())
		return nil
	})
	mux := http.NewServeMux()
	mux.Handle("POST /stripe", h)
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", mux))
}
