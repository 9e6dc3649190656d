package stripebench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	stripego "github.com/stripe/stripe-go/v82/webhook"

	"github.com/payhooks/payhooks/bench/stripe/stripe"
	"github.com/payhooks/payhooks/webhook"
)

// payhooksBin is the payhooks command, built once for the tests that run
// it as a user would.
var payhooksBin = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "payhooks-stripe-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "payhooks")
	build := exec.Command("go", "build", "-o", bin, "./cmd/payhooks")
	build.Dir = "../.." // the payhooks module, whose go.sum has what the command links
	out, err := build.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v: %s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if bin, err := payhooksBin(); err == nil {
		os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

// oneDelivery is the fixture-built delivery of event (its first resource).
func oneDelivery(t testing.TB, event string) []byte {
	set, err := stripeData()
	require.NoError(t, err)
	return set.build(t, event, set.fixtures[set.resources[event][0]], "evt_"+strings.ReplaceAll(event, ".", "_"))
}

// What payhooks send signs, stripe-go's webhook.ConstructEventWithOptions
// accepts: with one secret, and with two (a rotation, one v1 entry each),
// whichever of them stripe-go holds; with -count every delivery is new.
func TestSendIsAcceptedByStripeGo(t *testing.T) {
	bin, err := payhooksBin()
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "payment_intent.succeeded.json")
	require.NoError(t, os.WriteFile(file, oneDelivery(t, "payment_intent.succeeded"), 0o644))
	for _, tc := range []struct{ sender, receiver string }{
		{"whsec_interop_one", "whsec_interop_one"},
		{"whsec_interop_new whsec_interop_old", "whsec_interop_old"},
		{"whsec_interop_new whsec_interop_old", "whsec_interop_new"},
	} {
		t.Run(tc.sender+" to "+tc.receiver, func(t *testing.T) {
			var mu sync.Mutex
			var accepted []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				ev, err := stripego.ConstructEventWithOptions(body, r.Header.Get("Stripe-Signature"), tc.receiver, stripego.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				mu.Lock()
				accepted = append(accepted, string(ev.Type)+" "+ev.ID)
				mu.Unlock()
			}))
			defer srv.Close()
			cmd := exec.Command(bin, "send", "-schemas", schemaDir, "-provider", "stripe", "-count", "3", "-file", file, srv.URL)
			cmd.Env = append(os.Environ(), "PAYHOOKS_STRIPE_SECRET="+tc.sender)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "sent 3: 2xx 3,")
			require.Len(t, accepted, 3)
			ids := map[string]bool{}
			for _, a := range accepted {
				assert.True(t, strings.HasPrefix(a, "payment_intent.succeeded "), a)
				ids[a] = true
			}
			assert.Len(t, ids, 3, "each delivery of -count is new")
		})
	}
}

// What stripe-go's GenerateTestSignedPayload signs, the generated handler
// and payhooks listen accept; signed with another secret or too long ago,
// both refuse it.
func TestStripeGoSignedIsAccepted(t *testing.T) {
	const secret = "whsec_from_stripe_go"
	body := oneDelivery(t, "checkout.session.completed")
	sign := func(secret string, at time.Time) string {
		return stripego.GenerateTestSignedPayload(&stripego.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at}).Header
	}
	t.Run("generated handler", func(t *testing.T) {
		var got []string
		h, err := stripe.NewHandler(webhook.Secrets{Secret: "whsec_rotated_in " + secret})
		require.NoError(t, err)
		h.OnCheckoutSessionCompleted(func(_ context.Context, e *stripe.CheckoutSessionCompletedEvent) error {
			got = append(got, e.GetData().GetObject().GetID())
			return nil
		})
		post := func(header string) int {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/stripe", strings.NewReader(string(body)))
			req.Header.Set("Stripe-Signature", header)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w.Code
		}
		assert.Equal(t, http.StatusUnauthorized, post(sign("whsec_other", time.Now())))
		assert.Equal(t, http.StatusUnauthorized, post(sign(secret, time.Now().Add(-6*time.Minute))))
		assert.Equal(t, http.StatusOK, post(sign(secret, time.Now())))
		assert.Equal(t, []string{"cs_test_a1P5YYluaNII2Sw4YvDcqWDVcCaEF88dgjX1R52zahnP5GOEowMj42pzSq"}, got)
	})
	t.Run("payhooks listen", func(t *testing.T) {
		bin, err := payhooksBin()
		require.NoError(t, err)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "listen", "-schemas", schemaDir, "-addr", addr, "-dir", dir)
		cmd.Env = append(os.Environ(), "PAYHOOKS_STRIPE_SECRET="+secret)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Start())
		defer func() { cancel(); _ = cmd.Wait() }()
		post := func(header string) int {
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/stripe", strings.NewReader(string(body)))
			req.Header.Set("Stripe-Signature", header)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		// listen compiles the schemas of the providers it serves before it
		// serves: Stripe's 303 events take tens of seconds on a busy 2-core
		// machine (docs/providers.md).
		deadline := time.Now().Add(3 * time.Minute)
		code := post(sign("whsec_other", time.Now()))
		for code == 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			code = post(sign("whsec_other", time.Now()))
		}
		assert.Equal(t, http.StatusUnauthorized, code, "%s", &out)
		assert.Equal(t, http.StatusOK, post(sign(secret, time.Now())), "%s", &out)
		captures, err := filepath.Glob(filepath.Join(dir, "stripe-*.capture.json"))
		require.NoError(t, err)
		assert.Len(t, captures, 1, "%s", &out)
	})
}
