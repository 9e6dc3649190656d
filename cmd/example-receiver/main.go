// Command example-receiver mounts the generated handlers of every bundled
// provider on one http.ServeMux, the way a service would, and logs the
// events it is handed, read through the generated getters (nil-safe: an
// absent object or field reads as its zero value). Each handler is at the
// route payhooks listen and payhooks send use: POST /finmo, /rapyd,
// /tazapay, /adyenpayment, /adyentokenization, /adyentransfer, and
// Augustus at /api/service/webhook-event/{event}. Secrets come from the
// environment variables payhooks listen reads (PAYHOOKS_FINMO_TOKEN,
// PAYHOOKS_RAPYD_ACCESS_KEY and PAYHOOKS_RAPYD_SECRET_KEY,
// PAYHOOKS_TAZAPAY_SECRET, PAYHOOKS_AUGUSTUS_SECRET and
// PAYHOOKS_ADYEN…_SECRET); a provider whose secrets are unset is not
// served, and the log says so.
//
//	go run ./cmd/example-receiver -addr 127.0.0.1:8080
//	payhooks send -provider rapyd -event PAYMENT_COMPLETED http://127.0.0.1:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/payhooks/payhooks/generated/adyenpayment"
	"github.com/payhooks/payhooks/generated/adyentokenization"
	"github.com/payhooks/payhooks/generated/adyentransfer"
	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/webhook"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("example-receiver", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	mux, err := newMux(log)
	if err != nil {
		fmt.Fprintln(stderr, "example-receiver:", err)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "example-receiver:", err)
		return 2
	}
	log.Info("listening", "addr", ln.Addr().String())
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(stderr, "example-receiver:", err)
		return 1
	}
	return 0
}

// newMux builds a handler per provider whose secrets are set, with its
// callbacks, and mounts it.
func newMux(log *slog.Logger) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	served := 0
	mount := func(provider, pattern string, h http.Handler, err error) error {
		switch {
		case errors.Is(err, webhook.ErrMissingSecret):
			log.Warn("not serving", "provider", provider, "reason", err.Error())
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", provider, err)
		}
		mux.Handle(pattern, h)
		served++
		return nil
	}
	opts := []webhook.Option{webhook.WithLogger(log)}

	fin, err := finmo.NewHandler(finmo.SecretsFromEnv(), opts...)
	if err == nil {
		fin.OnCheckoutCompleted(func(ctx context.Context, e *finmo.CheckoutCompletedEvent) error {
			c := e.GetEventDetail()
			log.InfoContext(ctx, "finmo checkout completed", "checkout", c.GetCheckoutID(),
				"amount", c.GetAmount(), "currency", c.GetCurrency(), "status", c.GetStatus())
			return nil
		})
	}
	if err := mount("finmo", "POST /finmo", fin, err); err != nil {
		return nil, err
	}

	rap, err := rapyd.NewHandler(rapyd.SecretsFromEnv(), opts...)
	if err == nil {
		rap.OnPaymentCompleted(func(ctx context.Context, e *rapyd.PaymentCompletedEvent) error {
			p := e.GetData()
			log.InfoContext(ctx, "rapyd payment completed", "payment", p.GetID(),
				"amount", p.GetAmount(), "currency", p.GetCurrencyCode(), "paid_at", p.GetPaidAt().Time().UTC())
			return nil
		})
	}
	if err := mount("rapyd", "POST /rapyd", rap, err); err != nil {
		return nil, err
	}

	taz, err := tazapay.NewHandler(tazapay.SecretsFromEnv(), opts...)
	if err == nil {
		taz.OnCheckoutPaid(func(ctx context.Context, e *tazapay.CheckoutPaidEvent) error {
			c := e.GetData()
			log.InfoContext(ctx, "tazapay checkout paid", "checkout", c.GetID(),
				"amount_minor", c.GetAmount(), "currency", c.GetInvoiceCurrency(), "at", e.GetCreatedAt().Time().UTC())
			return nil
		})
	}
	if err := mount("tazapay", "POST /tazapay", taz, err); err != nil {
		return nil, err
	}

	aug, err := augustus.NewHandler(augustus.SecretsFromEnv(), opts...)
	if err == nil {
		aug.OnCheckoutSessionCompleted(func(ctx context.Context, e *augustus.CheckoutSessionCompletedEvent) error {
			s := e.GetPayload()
			log.InfoContext(ctx, "augustus checkout session completed", "session", s.GetID(),
				"reference", s.GetReferenceID(), "total", s.GetPrice().GetTotal(), "status", s.GetStatus())
			return nil
		})
	}
	if err := mount("augustus", "POST /api/service/webhook-event/{event}", aug, err); err != nil {
		return nil, err
	}

	pay, err := adyenpayment.NewHandler(adyenpayment.SecretsFromEnv(), opts...)
	if err == nil {
		pay.OnBalancePlatformPaymentUpdated(func(ctx context.Context, e *adyenpayment.BalancePlatformPaymentUpdatedEvent) error {
			p := e.GetData()
			log.InfoContext(ctx, "adyen payment updated", "payment", p.GetID(), "status", p.GetStatus(),
				"amount_minor", p.GetAmount().GetValue(), "currency", p.GetAmount().GetCurrency())
			return nil
		})
	}
	if err := mount("adyenpayment", "POST /adyenpayment", pay, err); err != nil {
		return nil, err
	}

	tok, err := adyentokenization.NewHandler(adyentokenization.SecretsFromEnv(), opts...)
	if err == nil {
		tok.OnRecurringTokenCreated(func(ctx context.Context, e *adyentokenization.RecurringTokenCreatedEvent) error {
			d := e.GetData()
			log.InfoContext(ctx, "adyen token created", "token", d.GetStoredPaymentMethodID(),
				"shopper", d.GetShopperReference(), "merchant_account", d.GetMerchantAccount())
			return nil
		})
	}
	if err := mount("adyentokenization", "POST /adyentokenization", tok, err); err != nil {
		return nil, err
	}

	tra, err := adyentransfer.NewHandler(adyentransfer.SecretsFromEnv(), opts...)
	if err == nil {
		tra.OnBalancePlatformTransferUpdated(func(ctx context.Context, e *adyentransfer.BalancePlatformTransferUpdatedEvent) error {
			d := e.GetData()
			log.InfoContext(ctx, "adyen transfer updated", "transfer", d.GetID(), "status", d.GetStatus(),
				"amount_minor", d.GetAmount().GetValue(), "currency", d.GetAmount().GetCurrency())
			return nil
		})
	}
	if err := mount("adyentransfer", "POST /adyentransfer", tra, err); err != nil {
		return nil, err
	}

	if served == 0 {
		return nil, errors.New("no provider has its secrets set (see go doc ./cmd/example-receiver)")
	}
	return mux, nil
}
