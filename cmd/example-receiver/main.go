// Command example-receiver mounts the generated handlers of all four
// bundled providers on one http.ServeMux, the way a service would, and logs
// every event it is handed. Secrets come from the same environment
// variables payhooks listen reads (PAYHOOKS_FINMO_TOKEN,
// PAYHOOKS_RAPYD_ACCESS_KEY and PAYHOOKS_RAPYD_SECRET_KEY,
// PAYHOOKS_TAZAPAY_SECRET, PAYHOOKS_AUGUSTUS_SECRET). README.md has curl
// lines that send it signed deliveries.
//
//	go run ./cmd/example-receiver -addr 127.0.0.1:8080
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	mux, err := newMux(slog.Default())
	if err != nil {
		fmt.Fprintln(os.Stderr, "example-receiver:", err)
		os.Exit(2)
	}
	slog.Info("listening", "addr", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, "example-receiver:", err)
		os.Exit(1)
	}
}

// newMux builds the four handlers and their callbacks.
func newMux(log *slog.Logger) (*http.ServeMux, error) {
	mux := http.NewServeMux()

	fin, err := finmo.NewHandler(finmo.SecretsFromEnv())
	if err != nil {
		return nil, err
	}
	fin.OnCheckoutCompleted(func(ctx context.Context, e *finmo.CheckoutCompletedEvent) error {
		log.InfoContext(ctx, "finmo checkout completed", "checkout", e.EventDetail.CheckoutID,
			"amount", e.EventDetail.Amount.String(), "currency", e.EventDetail.Currency)
		return nil
	})
	mux.Handle("POST /finmo", fin)

	rap, err := rapyd.NewHandler(rapyd.SecretsFromEnv())
	if err != nil {
		return nil, err
	}
	rap.OnPaymentCompleted(func(ctx context.Context, e *rapyd.PaymentCompletedEvent) error {
		log.InfoContext(ctx, "rapyd payment completed", "payment", e.Data.ID,
			"amount", e.Data.Amount.String(), "currency", e.Data.CurrencyCode, "paid_at", e.Data.PaidAt.Time())
		return nil
	})
	mux.Handle("POST /rapyd", rap)

	taz, err := tazapay.NewHandler(tazapay.SecretsFromEnv())
	if err != nil {
		return nil, err
	}
	taz.OnCheckoutPaid(func(ctx context.Context, e *tazapay.CheckoutPaidEvent) error {
		log.InfoContext(ctx, "tazapay checkout paid", "checkout", e.Data.ID,
			"amount_minor", e.Data.Amount, "currency", e.Data.InvoiceCurrency, "at", e.CreatedAt.Time())
		return nil
	})
	mux.Handle("POST /tazapay", taz)

	aug, err := augustus.NewHandler(augustus.SecretsFromEnv())
	if err != nil {
		return nil, err
	}
	aug.OnCheckoutSessionCompleted(func(ctx context.Context, e *augustus.CheckoutSessionCompletedEvent) error {
		total := "?"
		if e.Payload.Price != nil && e.Payload.Price.Total != nil {
			total = e.Payload.Price.Total.String()
		}
		log.InfoContext(ctx, "augustus checkout session completed", "session", e.Payload.ID, "total", total)
		return nil
	})
	mux.Handle("POST /api/service/webhook-event/{event}", aug)
	return mux, nil
}
