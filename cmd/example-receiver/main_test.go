package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/webhook"
)

// The example serves all four providers on one mux and runs each callback.
func TestExampleMux(t *testing.T) {
	t.Setenv("PAYHOOKS_FINMO_TOKEN", "dev-token")
	t.Setenv("PAYHOOKS_RAPYD_ACCESS_KEY", "dev-access")
	t.Setenv("PAYHOOKS_RAPYD_SECRET_KEY", "dev-secret")
	t.Setenv("PAYHOOKS_TAZAPAY_SECRET", "dev-secret")
	t.Setenv("PAYHOOKS_AUGUSTUS_SECRET", "dev-secret")
	var logs bytes.Buffer
	mux, err := newMux(slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cases := []struct {
		path, file string
		scheme     webhook.Scheme
		secrets    webhook.Secrets
		logged     string
	}{
		{"/finmo", "CHECKOUT_COMPLETED.json", finmo.Scheme, finmo.SecretsFromEnv(), "finmo checkout completed"},
		{"/rapyd", "PAYMENT_COMPLETED.json", rapyd.Scheme, rapyd.SecretsFromEnv(), "rapyd payment completed"},
		{"/tazapay", "checkout.paid.json", tazapay.Scheme, tazapay.SecretsFromEnv(), "tazapay checkout paid"},
		{"/api/service/webhook-event/checkout_session_completed", "checkout_session_completed.json", augustus.Scheme, augustus.SecretsFromEnv(), "augustus checkout session completed"},
	}
	for _, c := range cases {
		dir := map[string]string{"/finmo": "finmo", "/rapyd": "rapyd", "/tazapay": "tazapay"}[c.path]
		if dir == "" {
			dir = "augustus"
		}
		body, err := os.ReadFile("../../schemas/" + dir + "/examples/" + c.file)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, srv.URL+c.path, bytes.NewReader(body))
		require.NoError(t, err)
		signer, err := webhook.NewSigner(c.scheme, c.secrets, webhook.VerifyOptions{})
		require.NoError(t, err)
		require.NoError(t, signer.Sign(req.Header, req.URL.String(), body))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", c.path, msg)
		assert.Contains(t, logs.String(), c.logged)
	}
}
