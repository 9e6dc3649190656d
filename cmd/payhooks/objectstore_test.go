package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/internal/testonly/deliveries"
	"github.com/payhooks/payhooks/internal/testonly/s3test"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/dircapture"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// validated is what validate -format json says of each payload, by the
// name of its capture, and the exit status.
func validated(t *testing.T, env []string, args ...string) (map[string]any, int) {
	t.Helper()
	stdout, stderr, code := payhooks(t, "", env, append([]string{"validate", "-format", "json", "-fail-on", "warning"}, args...)...)
	require.Contains(t, []int{0, 1}, code, stderr)
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
	out := map[string]any{}
	for _, r := range doc.Results {
		name := path.Base(filepath.ToSlash(r["source"].(string)))
		delete(r, "source")
		out[name] = r
	}
	return out, code
}

// Captures from listen and from a generated handler land as objects, and
// validate s3://… reads them back with the same findings, and the same
// exit status, as the same deliveries captured to a folder.
func TestCapturesInObjectStorageValidateAsOnDisk(t *testing.T) {
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	env := srv.Env()

	dir := t.TempDir()
	toStore := startListenEnv(t, env, "-dir", "s3://"+bucket+"/listen")
	toFolder := startListen(t, "-dir", dir)
	drift := "../../schemas/tazapay/drift/"
	samples, err := os.ReadDir(drift)
	require.NoError(t, err)
	require.NotEmpty(t, samples)
	for _, l := range []*listening{toStore, toFolder} {
		for _, f := range samples {
			_, stderr, code := send(t, nil, "-provider", "tazapay", "-file", drift+f.Name(), l.url)
			require.Equal(t, 0, code, stderr)
		}
		_, stderr, code := send(t, nil, "-provider", "finmo", "-event", "CHECKOUT_COMPLETED", "-count", "3", l.url)
		require.Equal(t, 0, code, stderr)
	}
	require.NoError(t, toStore.stop(t, syscall.SIGTERM))
	require.NoError(t, toFolder.stop(t, syscall.SIGTERM))
	assert.Contains(t, toStore.logs(), "capturing to s3://"+bucket+"/listen")

	today := time.Now().UTC().Format(time.DateOnly)
	keys := srv.Keys(t, bucket, "listen/tazapay/")
	require.Len(t, keys, len(samples))
	for _, k := range keys {
		assert.Regexp(t, `^listen/tazapay/`+today+`/tazapay-[^/]+\.capture\.json$`, k)
		assert.FileExists(t, filepath.Join(dir, path.Base(k)), "the same name as on disk")
	}
	fromStore, storeCode := validated(t, env, "s3://"+bucket+"/listen/tazapay")
	fromDisk, diskCode := validated(t, nil, dir+"/")
	for name := range fromDisk {
		if !strings.HasPrefix(name, "tazapay-") {
			delete(fromDisk, name) // finmo's fresh ids differ between the two runs
		}
	}
	require.Len(t, fromDisk, len(samples))
	assert.Equal(t, fromDisk, fromStore)
	assert.Equal(t, 1, diskCode, "the drift samples drift")
	assert.Equal(t, diskCode, storeCode)
	all, _ := validated(t, env, "s3://"+bucket+"/listen")
	assert.Len(t, all, len(samples)+3, "the write check object is not a payload")

	// A generated handler capturing to both sinks.
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/handler", srv.Config())
	require.NoError(t, err)
	handlerDir := t.TempDir()
	folder, err := dircapture.Open(handlerDir)
	require.NoError(t, err)
	body, err := fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_COMPLETED.json")
	require.NoError(t, err)
	drifted := append([]byte(`{"surprise":1,`), bytes.TrimPrefix(bytes.TrimSpace(body), []byte("{"))...)
	for _, s := range []webhook.CaptureSink{sink, folder} {
		h, err := finmo.NewHandler(webhook.Secrets{Token: "t"}, webhook.WithCapture(s, webhook.CaptureRequired), webhook.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
		require.NoError(t, err)
		for _, b := range [][]byte{body, drifted} {
			id := "wh_clean"
			if len(b) != len(body) {
				id = "wh_drifted"
			}
			b, err := webhook.SetString(b, "/webhook_notification_id", id)
			require.NoError(t, err)
			r := httptest.NewRequest(http.MethodPost, "/finmo", bytes.NewReader(b))
			r.Header.Set("X-Security-Token", "t")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		}
	}
	fromStore, storeCode = validated(t, env, "s3://"+bucket+"/handler/finmo/"+today)
	fromDisk, diskCode = validated(t, nil, handlerDir)
	assert.Len(t, fromDisk, 2)
	assert.Equal(t, fromDisk, fromStore)
	assert.Equal(t, diskCode, storeCode)
	assert.Contains(t, fmtJSON(fromStore["finmo-wh_drifted.capture.json"]), `"kind":"unknown_property"`)
}

func fmtJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

// Credentials the store refuses stop listen and validate at once, with
// exit status 2 and the variables to check named; so do credentials that
// are not set.
func TestObjectStorageCredentialsAreCheckedAtStartup(t *testing.T) {
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	wrong := append(srv.Env(), "AWS_SECRET_ACCESS_KEY=wrong")
	_, stderr, code := payhooks(t, "", append(append([]string{}, secretsEnv...), wrong...), "listen", "-addr", "127.0.0.1:0", "-dir", "s3://"+bucket+"/p")
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "payhooks listen: -dir: s3://"+bucket+"/p: write check: the store refused the credentials (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	_, err := os.Stat("s3:")
	assert.True(t, os.IsNotExist(err), "no folder named s3:")

	_, stderr, code = payhooks(t, "", wrong, "validate", "s3://"+bucket+"/p")
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "the store refused the credentials (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

	unset := []string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_ENDPOINT_URL_S3=" + srv.Endpoint}
	_, stderr, code = payhooks(t, "", append(append([]string{}, secretsEnv...), unset...), "listen", "-addr", "127.0.0.1:0", "-dir", "s3://"+bucket+"/p")
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
}

// -since and -until select objects by the date in their key.
func TestValidateSelectsObjectsByDate(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-since", "yesterday", "s3://b-b-b/p"}, `-since "yesterday": want a date, yyyy-mm-dd`},
		{[]string{"-since", "2026-01-02", "-until", "2026-01-01", "s3://b-b-b/p"}, "-since 2026-01-02 is after -until 2026-01-01"},
		{[]string{"-since", "2026-01-02", "captures/"}, "-since and -until select objects by the date in their key: give an s3:// path"},
		{[]string{"s3://B/p"}, `bucket "B"`},
	} {
		_, stderr, code := payhooks(t, "", nil, append([]string{"validate"}, tc.args...)...)
		assert.Equal(t, exitCantRun, code, tc.args)
		assert.Contains(t, stderr, tc.want, tc.args)
	}

	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/prod", srv.Config())
	require.NoError(t, err)
	body, err := fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_COMPLETED.json")
	require.NoError(t, err)
	for i, day := range []string{"2026-05-01", "2026-05-02", "2026-05-03"} {
		when, _ := time.Parse(time.DateOnly, day)
		b, err := webhook.SetString(body, "/webhook_notification_id", "wh_"+day)
		require.NoError(t, err)
		require.NoError(t, sink.Put(context.Background(), &webhook.Capture{Provider: "finmo", DeliveryID: "wh_" + day, ReceivedAt: when.Add(time.Duration(i) * time.Hour), Method: "POST", Path: "/finmo", Body: b}))
	}
	got, code := validated(t, srv.Env(), "-since", "2026-05-02", "-until", "2026-05-02", "s3://"+bucket+"/prod")
	assert.Equal(t, 0, code)
	assert.Equal(t, []string{"finmo-wh_2026-05-02.capture.json"}, slices.Sorted(maps.Keys(got)))
	got, _ = validated(t, srv.Env(), "-since", "2026-05-02", "s3://"+bucket+"/prod")
	assert.Equal(t, []string{"finmo-wh_2026-05-02.capture.json", "finmo-wh_2026-05-03.capture.json"}, slices.Sorted(maps.Keys(got)))
}

// listen -metrics-addr serves Prometheus metrics of the deliveries, their
// drift and their captures.
func TestListenServesMetrics(t *testing.T) {
	l := startListen(t, "-dir", t.TempDir(), "-metrics-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`metrics on (http://[0-9.:]+/metrics)`).FindStringSubmatch(l.logs())
	require.NotNil(t, m, l.logs())
	for _, f := range []string{"checkout.created-doc-sample.json", "checkout.paid-old-shape.json"} {
		_, stderr, code := send(t, nil, "-provider", "tazapay", "-file", "../../schemas/tazapay/drift/"+f, l.url)
		require.Equal(t, 0, code, stderr)
	}
	code, _ := deliveries.Post(t, l.url+"/finmo", []byte(`{}`), http.Header{"X-Security-Token": {"wrong"}})
	require.Equal(t, http.StatusUnauthorized, code)

	resp, err := http.Get(m[1])
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	text := string(data)
	assert.Contains(t, text, `payhooks_deliveries_total{code="200",event="checkout.created",outcome="dispatched",provider="tazapay"} 1`)
	assert.Contains(t, text, `payhooks_deliveries_total{code="401",event="",outcome="rejected",provider="finmo"} 1`)
	assert.Contains(t, text, `payhooks_drift_findings_total{event="checkout.paid",kind="type_mismatch",provider="tazapay",severity="breaking"} 1`)
	assert.Contains(t, text, `payhooks_drift_findings_total{event="checkout.paid",kind="constraint_violation",provider="tazapay",severity="warning"} 1`)
	assert.Contains(t, text, `payhooks_captures_total{provider="tazapay",status="stored"} 2`)
	assert.Contains(t, text, `payhooks_handler_duration_seconds_count{outcome="dispatched",provider="tazapay"} 2`)
}
