package main

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
)

// secrets are the example's environment: every bundled provider's.
var secrets = map[string]string{
	"PAYHOOKS_FINMO_TOKEN": "dev-token", "PAYHOOKS_RAPYD_ACCESS_KEY": "dev-access", "PAYHOOKS_RAPYD_SECRET_KEY": "dev-secret",
	"PAYHOOKS_TAZAPAY_SECRET": "dev-secret", "PAYHOOKS_AUGUSTUS_SECRET": "dev-secret",
	"PAYHOOKS_ADYENPAYMENT_SECRET": "0a1b2c3d", "PAYHOOKS_ADYENTOKENIZATION_SECRET": "0a1b2c3d", "PAYHOOKS_ADYENTRANSFER_SECRET": "0a1b2c3d",
}

// The example built and run as a user runs it: every bundled example of
// every provider, signed, is acknowledged, and each registered callback
// logs the event's values through the getters (no pointer address, the
// digits as sent).
func TestExampleReceiverLogsEveryProvider(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example")
	}
	bin := filepath.Join(t.TempDir(), "example-receiver")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	cmd.Env = os.Environ()
	for k, v := range secrets {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	// The first line says where it listens; the rest is gathered until it stops.
	lines := bufio.NewScanner(stderr)
	require.True(t, lines.Scan(), "the example says where it listens")
	first := lines.Text()
	_, addr, ok := strings.Cut(first, " addr=")
	require.True(t, ok, first)
	logs := make(chan string)
	go func() {
		var b strings.Builder
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		logs <- b.String()
	}()

	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	sent := 0
	for _, p := range cat.Providers {
		for k, v := range secrets {
			t.Setenv(k, v)
		}
		signer, err := webhook.NewSigner(p.Signature, webhook.SecretsFromEnv(p.Name), webhook.VerifyOptions{})
		require.NoError(t, err, p.Name)
		for _, ex := range p.Examples {
			body, err := fs.ReadFile(schemas.FS, ex.Path)
			require.NoError(t, err)
			url := "http://" + addr + p.Route()
			if p.Addressing.PathPrefix != "" {
				url += ex.Event
			}
			req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			require.NoError(t, err)
			require.NoError(t, signer.Sign(req.Header, url, body))
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", ex.Path, msg)
			sent++
		}
	}
	require.Equal(t, 56, sent, "every bundled example")
	time.Sleep(100 * time.Millisecond) // the last log lines
	require.NoError(t, cmd.Process.Kill())
	log := <-logs

	for _, want := range []string{
		`msg="finmo checkout completed" checkout=xo_6aaf0e35a0d744c885d81b1a02602027 amount=100 currency=AUD status=COMPLETED`,
		`msg="rapyd payment completed" payment=payment_73e7b358841400509e208bd1213e38a7 amount=1099.5 currency=USD paid_at=2023-08-20T09:16:41.000Z`,
		`msg="tazapay checkout paid" checkout=chk_ahfafooi7ibakbfahoan amount_minor=6700 currency=USD at=2023-12-25T22:00:01.538Z`,
		`msg="augustus checkout session completed" session=6571d1c2e8a3f40012ab34cd reference=order-20231211-0042 total=1.01 status=closed`,
		`msg="adyen payment updated" payment=2L470J5QAVHDDZTW status=Expired amount_minor=-2500 currency=EUR`,
		`msg="adyen token created" token=M5N7TQ4TG5PFWR50 shopper=YOUR_SHOPPER_REFERENCE merchant_account=YOUR_MERCHANT_ACCOUNT`,
		`msg="adyen transfer updated" transfer=JN4227222422265 status=authorised amount_minor=100000 currency=EUR`,
	} {
		assert.Contains(t, log, want)
	}
	assert.NotRegexp(t, `0x[0-9a-f]{6,}`, log, "no pointer address is logged")
	assert.NotContains(t, log, "level=ERROR")
	assert.NotContains(t, log, "not serving")
}

// A provider without secrets is left out, and the log says which.
func TestExampleServesOnlyProvidersWithSecrets(t *testing.T) {
	for k := range secrets {
		t.Setenv(k, "")
	}
	t.Setenv("PAYHOOKS_FINMO_TOKEN", "dev-token")
	var logs bytes.Buffer
	mux, err := newMux(slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	require.NotNil(t, mux)
	assert.Equal(t, 6, strings.Count(logs.String(), `msg="not serving"`), logs.String())
	assert.Contains(t, logs.String(), `provider=rapyd reason="rapyd handler: scheme \"rapyd\" needs an access key`)

	t.Setenv("PAYHOOKS_FINMO_TOKEN", "")
	_, err = newMux(slog.New(slog.NewTextHandler(io.Discard, nil)))
	assert.ErrorContains(t, err, "no provider has its secrets set")
}
