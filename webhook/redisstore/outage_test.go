package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/redisstore"
)

// muteProxy stands between the store and Redis and, while muted, passes
// every command on and drops every answer: the outage in which a claim
// lands but its answer never comes back.
type muteProxy struct {
	addr  string
	muted atomic.Bool
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

func startMuteProxy(t *testing.T, redisURL string) *muteProxy {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &muteProxy{addr: ln.Addr().String(), ln: ln}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", opts.Addr)
			if err != nil {
				client.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, client, server)
			p.mu.Unlock()
			go func() { io.Copy(server, client); server.Close() }()
			go func() {
				buf := make([]byte, 32<<10)
				for {
					n, err := server.Read(buf)
					if n > 0 && !p.muted.Load() {
						client.Write(buf[:n])
					}
					if err != nil {
						client.Close()
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

// An outage must not orphan claims: a claim that landed while its answer
// was lost (the delivery got 503), and the claim of a callback that failed
// while Redis could not take its release (500), are released once Redis
// answers, so the provider's retry runs at once rather than meeting 409 for
// the whole five-minute lease. No callback runs twice for all that.
func TestOutageReleasesTheClaimsItOrphaned(t *testing.T) {
	srv := startRedis(t)
	proxy := startMuteProxy(t, srv.url)
	// Short timeouts, so the muted answers time out quickly.
	url := "redis://" + proxy.addr + "/0?read_timeout=200ms&write_timeout=200ms"
	store := newStore(t, url)
	var calls sync.Map // id → count
	count := func(id string) int {
		n, _ := calls.Load(id)
		c, _ := n.(int)
		return c
	}
	var failNext atomic.Bool
	h, err := rapyd.NewHandler(webhook.Secrets{AccessKey: "ak", SecretKey: "sk"}, webhook.WithStore(store),
		webhook.WithoutDrift(), webhook.WithLogger(quietLogger()))
	require.NoError(t, err)
	h.OnPaymentCompleted(func(_ context.Context, e *rapyd.PaymentCompletedEvent) error {
		calls.Store(e.ID, count(e.ID)+1)
		if failNext.CompareAndSwap(true, false) {
			proxy.muted.Store(true) // Redis goes away with the callback's failure
			return errors.New("the order service is down")
		}
		return nil
	})
	direct := redis.NewClient(must(redis.ParseURL(srv.url)))
	defer direct.Close()
	key := func(id string) string { return redisstore.DefaultPrefix + "rapyd:" + id } // the handler keys ids per provider
	run := fmt.Sprint(time.Now().UnixNano())

	// Redis has the claim script (EVALSHA) from the deliveries before.
	require.Equal(t, http.StatusOK, serve(h, delivery(t, "wh_before_"+run)))

	// 1. The claim lands, its answer is lost: 503, and a claim stands.
	lost := "wh_lost_" + run
	proxy.muted.Store(true)
	assert.Equal(t, http.StatusServiceUnavailable, serve(h, delivery(t, lost)))
	v, err := direct.Get(context.Background(), key(lost)).Result()
	require.NoError(t, err, "the claim landed")
	require.True(t, strings.HasPrefix(v, "claim:"), v)
	assert.Zero(t, count(lost))

	// 2. The callback fails and Redis cannot take the release: 500.
	proxy.muted.Store(false)
	failed := "wh_failed_" + run
	failNext.Store(true)
	assert.Equal(t, http.StatusInternalServerError, serve(h, delivery(t, failed)))
	v, err = direct.Get(context.Background(), key(failed)).Result()
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(v, "claim:"), "the release did not reach Redis: %s", v)

	// Redis answers again: each retry runs at once.
	proxy.muted.Store(false)
	assert.Equal(t, http.StatusOK, serve(h, delivery(t, lost)), "the retry of the delivery whose claim answer was lost")
	assert.Equal(t, http.StatusOK, serve(h, delivery(t, failed)), "the retry of the delivery whose release was lost")
	assert.Equal(t, 1, count(lost))
	assert.Equal(t, 2, count(failed), "failed once, ran once more")
	for _, id := range []string{lost, failed} {
		assert.Equal(t, http.StatusOK, serve(h, delivery(t, id)))
	}
	assert.Equal(t, 1, count(lost), "and never again")
	assert.Equal(t, 2, count(failed), "and never again")

	// 3. An orphan whose delivery is never retried here (another replica
	// may take it) is released in the background once Redis answers.
	other := "wh_elsewhere_" + run
	proxy.muted.Store(true)
	assert.Equal(t, http.StatusServiceUnavailable, serve(h, delivery(t, other)))
	proxy.muted.Store(false)
	require.Eventually(t, func() bool {
		return errors.Is(direct.Get(context.Background(), key(other)).Err(), redis.Nil)
	}, 10*time.Second, 100*time.Millisecond, "the orphaned claim is released")
	replica := handlerPair(t, srv.url, func(_ context.Context, e *rapyd.PaymentCompletedEvent) error {
		calls.Store(e.ID, count(e.ID)+1)
		return nil
	})[0]
	assert.Equal(t, http.StatusOK, serve(replica, delivery(t, other)), "another replica runs it")
	assert.Equal(t, 1, count(other))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
