package s3capture_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/testonly/s3test"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

const token = "s3-test-token"

func TestMain(m *testing.M) {
	code := m.Run()
	s3test.StopShared()
	os.Exit(code)
}

// delivery is Finmo's CHECKOUT_COMPLETED example with its own id and an
// undocumented member (drift the capture records).
func delivery(t testing.TB, id string) []byte {
	t.Helper()
	body, err := fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_COMPLETED.json")
	require.NoError(t, err)
	body, err = webhook.SetString(body, "/webhook_notification_id", id)
	require.NoError(t, err)
	return append([]byte(`{"undocumented_member":true,`), bytes.TrimPrefix(bytes.TrimSpace(body), []byte("{"))...)
}

// handler is the generated Finmo handler capturing to sink.
func handler(t testing.TB, opts ...webhook.Option) (http.Handler, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	h, err := finmo.NewHandler(webhook.Secrets{Token: token}, append([]webhook.Option{webhook.WithDriftHook(func(context.Context, webhook.Delivery, []drift.Finding) {}), webhook.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, opts...)...)
	require.NoError(t, err)
	h.OnCheckoutCompleted(func(context.Context, *finmo.CheckoutCompletedEvent) error { calls.Add(1); return nil })
	return h, &calls
}

func send(h http.Handler, body []byte) int {
	r := httptest.NewRequest(http.MethodPost, "/finmo", bytes.NewReader(body))
	r.Header.Set("X-Security-Token", token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// A generated handler's captures land as objects under
// PREFIX/<provider>/<date>/<capture name>, in listen's capture format,
// with the delivery's event, id and findings, the token redacted.
func TestGeneratedHandlerCapturesToObjects(t *testing.T) {
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/prod/eu", srv.Config())
	require.NoError(t, err)
	day := time.Date(2026, 3, 4, 23, 59, 0, 0, time.UTC)
	h, calls := handler(t, webhook.WithCapture(sink, webhook.CaptureRequired), webhook.WithClock(func() time.Time { return day }))
	for i := range 3 {
		require.Equal(t, http.StatusOK, send(h, delivery(t, fmt.Sprintf("wh_%d", i))))
	}
	assert.EqualValues(t, 3, calls.Load())
	keys := srv.Keys(t, bucket, "prod/eu/")
	assert.Equal(t, []string{
		"prod/eu/.payhooks-write-check",
		"prod/eu/finmo/2026-03-04/finmo-wh_0.capture.json",
		"prod/eu/finmo/2026-03-04/finmo-wh_1.capture.json",
		"prod/eu/finmo/2026-03-04/finmo-wh_2.capture.json",
	}, keys)
	c, err := capture.Parse(srv.Get(t, bucket, "prod/eu/finmo/2026-03-04/finmo-wh_1.capture.json"))
	require.NoError(t, err)
	assert.Equal(t, string(delivery(t, "wh_1")), c.Body, "the exact body")
	assert.Equal(t, "finmo", c.Provider)
	assert.Equal(t, "CHECKOUT_COMPLETED", c.Event)
	assert.Equal(t, "wh_1", c.DeliveryID)
	assert.Equal(t, "2026-03-04T23:59:00Z", c.ReceivedAt)
	assert.Equal(t, []string{webhook.Redacted}, c.Headers["X-Security-Token"])
	require.NotEmpty(t, c.Findings)
	assert.Equal(t, drift.Finding{Pointer: "/undocumented_member", Kind: drift.UnknownProperty, Severity: drift.Info, Message: c.Findings[0].Message}, c.Findings[0])
}

// A repeated delivery id neither overwrites nor duplicates: a retry, a
// copy at another replica (no shared deduplication) and a retry the next
// day all keep the first capture.
func TestRepeatedDeliveryKeepsItsFirstCapture(t *testing.T) {
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket, srv.Config())
	require.NoError(t, err)
	now := time.Date(2026, 3, 4, 23, 59, 0, 0, time.UTC)
	clock := webhook.WithClock(func() time.Time { return now })
	first := delivery(t, "wh_same")
	h, calls := handler(t, webhook.WithCapture(sink, webhook.CaptureRequired), clock)
	require.Equal(t, http.StatusOK, send(h, first))
	// The same id with another body (a provider's resend) at a replica
	// whose memory store never saw it: acknowledged, the capture kept.
	second := bytes.Replace(first, []byte(`"undocumented_member":true`), []byte(`"undocumented_member":false`), 1)
	var outcome webhook.Outcome
	replica, replicaCalls := handler(t, webhook.WithCapture(sink, webhook.CaptureRequired), clock, webhook.WithObserver(func(_ context.Context, o webhook.Outcome) { outcome = o }))
	require.Equal(t, http.StatusOK, send(replica, second))
	assert.Equal(t, webhook.AlreadyCaptured, outcome.Capture)
	// The next day, a retry at the first replica goes to the first day's key.
	now = now.Add(2 * time.Minute)
	require.Equal(t, http.StatusOK, send(h, first))
	assert.EqualValues(t, 1, calls.Load(), "the retry at the same replica is a duplicate")
	// A capture kept is no deduplication: a retry whose first attempt's
	// callback failed is captured already and must still run, so the
	// replica, whose store never saw the id, runs its callback.
	assert.EqualValues(t, 1, replicaCalls.Load(), "the replica runs its callback")

	keys := srv.Keys(t, bucket, "finmo/")
	assert.Equal(t, []string{"finmo/2026-03-04/finmo-wh_same.capture.json"}, keys)
	c, err := capture.Parse(srv.Get(t, bucket, keys[0]))
	require.NoError(t, err)
	assert.Equal(t, string(first), c.Body, "the first capture is kept")
}

// Credentials the store refuses, or none, fail Open with an error that
// names the variables to fix; so does a bucket that does not exist.
func TestWrongCredentialsFailAtStartup(t *testing.T) {
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	ctx := context.Background()
	wrong := srv.Config()
	wrong.SecretAccessKey = "not-the-secret"
	_, err := s3capture.Open(ctx, "s3://"+bucket+"/p", wrong)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "s3://"+bucket+"/p: write check: the store refused the credentials (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

	unknown := srv.Config()
	unknown.AccessKeyID = "nobody"
	_, err = s3capture.Open(ctx, "s3://"+bucket+"/p", unknown)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the store refused the credentials")
	assert.Contains(t, err.Error(), "AWS_ACCESS_KEY_ID")

	none := srv.Config()
	none.AccessKeyID, none.SecretAccessKey = "", ""
	_, err = s3capture.Open(ctx, "s3://"+bucket+"/p", none)
	assert.EqualError(t, err, "s3://"+bucket+"/p: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

	_, err = s3capture.Open(ctx, "s3://no-such-bucket/p", srv.Config())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no bucket "no-such-bucket"`)

	down := srv.Config()
	down.Endpoint = "http://127.0.0.1:1"
	_, err = s3capture.Open(ctx, "s3://"+bucket+"/p", down)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot reach http://127.0.0.1:1 (AWS_ENDPOINT_URL_S3)")
}

// The store killed mid-stream. Required mode acknowledges nothing it did
// not store: every delivery answered 200 has its object once the store is
// back, the others were answered 503 and their callbacks did not run.
// Sampled mode answers every delivery 200 and counts the captures lost.
func TestStoreKilledMidStream(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.Bucket(t)
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/required", srv.Config())
	require.NoError(t, err)
	h, calls := handler(t, webhook.WithCapture(sink, webhook.CaptureRequired))

	const n = 60
	acked := map[string]bool{}
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	ids := make(chan string)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				code := send(h, delivery(t, id))
				mu.Lock()
				codes[code]++
				if code == http.StatusOK {
					acked[id] = true
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		if i == n/3 {
			srv.Kill(t)
		}
		ids <- fmt.Sprintf("wh_r%d", i)
	}
	close(ids)
	wg.Wait()
	assert.Equal(t, n, codes[http.StatusOK]+codes[http.StatusServiceUnavailable], "only 200 and 503: %v", codes)
	assert.NotZero(t, codes[http.StatusServiceUnavailable], "deliveries after the kill are refused")
	assert.NotZero(t, codes[http.StatusOK], "deliveries before the kill are acknowledged")
	assert.EqualValues(t, codes[http.StatusOK], calls.Load(), "a callback runs only for a captured delivery")

	srv.Restart(t)
	stored := map[string]bool{}
	for _, k := range srv.Keys(t, bucket, "required/finmo/") {
		stored[strings.TrimSuffix(k[strings.LastIndexByte(k, '/')+1:], capture.Suffix)[len("finmo-"):]] = true
	}
	var lost []string
	for id := range acked {
		if !stored[id] {
			lost = append(lost, id)
		}
	}
	assert.Empty(t, lost, "acknowledged but not stored: %d of %d", len(lost), n)
	t.Logf("required: %d of %d acknowledged, all stored; %d answered 503", codes[http.StatusOK], n, codes[http.StatusServiceUnavailable])

	// Sampled mode: the same outage never reaches the provider.
	sampledSink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/sampled", srv.Config())
	require.NoError(t, err)
	sampler, err := webhook.NewCaptureSampler(webhook.SamplerOptions{Rate: 1, Queue: 8, Workers: 2, Timeout: 5 * time.Second})
	require.NoError(t, err)
	var statuses sync.Map
	var before webhook.SamplerStats
	sh, sampledCalls := handler(t, webhook.WithCapture(sampledSink, webhook.CaptureSampled(sampler)),
		webhook.WithObserver(func(_ context.Context, o webhook.Outcome) { statuses.Store(o.Delivery.ID, o.Capture) }))
	for i := range n {
		if i == n/3 {
			// Once the first ones are accounted for.
			require.Eventually(t, func() bool {
				st := sampler.Stats()
				return st.Stored+st.Dropped == n/3
			}, 30*time.Second, 10*time.Millisecond)
			before = sampler.Stats()
			require.Len(t, srv.Keys(t, bucket, "sampled/finmo/"), int(before.Stored), "what the sampler counts as stored is stored")
			srv.Kill(t)
		}
		require.Equal(t, http.StatusOK, send(sh, delivery(t, fmt.Sprintf("wh_s%d", i))), "delivery %d", i)
	}
	assert.EqualValues(t, n, sampledCalls.Load())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, sampler.Close(ctx))
	st := sampler.Stats()
	assert.EqualValues(t, n, st.Stored+st.Existing+st.Dropped+st.Failed, "every capture is accounted for: %+v", st)
	assert.NotZero(t, before.Stored, "captures before the outage are stored: %+v", before)
	assert.Equal(t, before.Stored, st.Stored, "none during it: %+v", st)
	assert.EqualValues(t, n-before.Stored, st.Dropped+st.Failed, "the outage lost the rest, counted: %+v", st)
	assert.NotZero(t, st.Dropped, "the queue filled up: %+v", st)
	dropped := 0
	statuses.Range(func(_, v any) bool {
		if v == webhook.CaptureDropped {
			dropped++
		}
		return true
	})
	assert.EqualValues(t, st.Dropped, dropped, "the observer sees each drop")
	t.Logf("sampled: %d answered 200; captures %+v", n, st)
}

// Reader lists in key order, skips the date folders out of range, and
// reads the objects it selects.
func TestReaderSelectsByDate(t *testing.T) {
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/p", srv.Config())
	require.NoError(t, err)
	for i, day := range []string{"2026-01-01", "2026-01-02", "2026-01-03"} {
		when, _ := time.Parse(time.DateOnly, day)
		for _, provider := range []string{"finmo", "rapyd"} {
			require.NoError(t, sink.Put(context.Background(), &webhook.Capture{Provider: provider, DeliveryID: fmt.Sprintf("id%d", i), ReceivedAt: when, Method: "POST", Path: "/" + provider, Body: []byte(`{}`)}))
		}
	}
	read := func(url string, dates s3capture.Dates) []string {
		r, err := s3capture.NewReader(url, srv.Config())
		require.NoError(t, err)
		var got []string
		require.NoError(t, r.Read(context.Background(), dates, func(key string, _ int64) (bool, bool) {
			return strings.HasSuffix(key, ".json"), true
		}, func(o s3capture.Object) error {
			require.NoError(t, o.Err)
			data, err := io.ReadAll(o.Body)
			o.Body.Close()
			require.NoError(t, err)
			_, err = capture.Parse(data)
			require.NoError(t, err, o.Key)
			got = append(got, strings.TrimPrefix(o.URL, "s3://"+bucket+"/"))
			return nil
		}))
		return got
	}
	assert.Equal(t, []string{
		"p/finmo/2026-01-02/finmo-id1.capture.json", "p/finmo/2026-01-03/finmo-id2.capture.json",
		"p/rapyd/2026-01-02/rapyd-id1.capture.json", "p/rapyd/2026-01-03/rapyd-id2.capture.json",
	}, read("s3://"+bucket+"/p", s3capture.Dates{Since: "2026-01-02"}))
	assert.Equal(t, []string{"p/finmo/2026-01-01/finmo-id0.capture.json", "p/rapyd/2026-01-01/rapyd-id0.capture.json"},
		read("s3://"+bucket+"/p", s3capture.Dates{Until: "2026-01-01"}))
	assert.Equal(t, []string{"p/rapyd/2026-01-02/rapyd-id1.capture.json"}, read("s3://"+bucket+"/p/rapyd/2026-01-02", s3capture.Dates{}))
	assert.Empty(t, read("s3://"+bucket+"/p/rapyd/2026-01-02", s3capture.Dates{Since: "2026-01-03"}))
	assert.Len(t, read("s3://"+bucket+"/p/finmo", s3capture.Dates{}), 3)
	assert.Equal(t, []string{"p/finmo/2026-01-01/finmo-id0.capture.json"}, read("s3://"+bucket+"/p/finmo/2026-01-01/finmo-id0.capture.json", s3capture.Dates{}), "one object")
}

func TestParseURL(t *testing.T) {
	loc, err := s3capture.ParseURL("s3://my-bucket/a/b/")
	require.NoError(t, err)
	assert.Equal(t, s3capture.Location{Bucket: "my-bucket", Prefix: "a/b"}, loc)
	assert.Equal(t, "s3://my-bucket/a/b", loc.String())
	for _, bad := range []string{"s3://", "s3://UPPER/x", "s3://b/x", "s3://ok-bucket/a//b", "s3://ok-bucket/../x", "/tmp/x"} {
		_, err := s3capture.ParseURL(bad)
		assert.Error(t, err, bad)
	}
}
