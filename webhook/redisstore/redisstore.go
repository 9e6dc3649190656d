// Package redisstore is a webhook.Store on Redis, for handlers running as
// several replicas behind a load balancer: a retried delivery that lands on
// another replica still runs its callback once.
//
// A claim is a key set only if absent, with an expiry (SET NX PX, in one
// Lua script with the read that tells a completed delivery from one in
// progress), so two replicas racing for one id cannot both win, and a claim
// whose holder died expires after its lease. Completing sets the key to
// "done" for the window; releasing deletes it only if this store still
// holds that claim. When Redis cannot be reached, Claim returns the error
// and the handler answers 503: no callback ever runs without a claim.
package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	neturl "net/url"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/payhooks/payhooks/webhook"
)

// DefaultPrefix starts every key the store writes.
const DefaultPrefix = "payhooks:dedupe:"

// Store implements webhook.Store.
type Store struct {
	client redis.UniversalClient
	prefix string
	// tokens remembers, per id this store claimed, the token its claim
	// holds, so Release never deletes another replica's claim.
	tokens sync.Map
}

// New connects to the Redis at url (redis://[user:password@]host:port/db,
// or rediss:// for TLS; go-redis's URL options such as dial_timeout apply).
// Unless the URL sets them, timeouts are short (2 s dial, 1 s read and
// write) and retries few, so a handler facing a Redis that is down answers
// 503 within seconds. New does not dial: an unreachable Redis shows as
// errors from Claim.
func New(url string) (*Store, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		// The parser's message quotes the URL, password and all.
		return nil, fmt.Errorf("redis store: %s", strings.ReplaceAll(err.Error(), url, Redact(url)))
	}
	if opts.DialTimeout == 0 || opts.DialTimeout == 5*time.Second {
		opts.DialTimeout = 2 * time.Second
	}
	if opts.ReadTimeout == 0 || opts.ReadTimeout == 3*time.Second {
		opts.ReadTimeout = time.Second
	}
	if opts.WriteTimeout == 0 || opts.WriteTimeout == 3*time.Second {
		opts.WriteTimeout = time.Second
	}
	// A webhook answer should not wait long on a Redis that is down: fail
	// fast with 503 and let the provider retry.
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 1
	}
	if opts.DialerRetries == 0 {
		opts.DialerRetries = 2
	}
	return NewWithClient(redis.NewClient(opts), DefaultPrefix), nil
}

// Open returns the store spec names, as payhooks listen -dedupe takes it:
// "memory" (a webhook.MemoryStore, for one process) or a redis:// or
// rediss:// URL (a Store on that Redis, which must answer a ping within
// five seconds). closeStore releases it.
func Open(spec string) (store webhook.Store, closeStore func() error, err error) {
	switch {
	case spec == "memory":
		return webhook.NewMemoryStore(0, nil), func() error { return nil }, nil
	case strings.HasPrefix(spec, "redis://"), strings.HasPrefix(spec, "rediss://"):
		rs, err := New(spec)
		if err != nil {
			return nil, nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := rs.Ping(ctx); err != nil {
			rs.Close()
			return nil, nil, fmt.Errorf("no answer from Redis: %w", err)
		}
		return rs, rs.Close, nil
	}
	return nil, nil, fmt.Errorf("unknown store %q (want memory or redis://…)", Redact(spec))
}

// Redact returns a Redis URL with its password (everything between "//"
// and the last "@", when it does not parse) replaced by "xxxxx", for
// messages.
func Redact(rawURL string) string {
	if u, err := neturl.Parse(rawURL); err == nil {
		return u.Redacted()
	}
	if i := strings.Index(rawURL, "//"); i >= 0 {
		if j := strings.LastIndex(rawURL, "@"); j > i {
			return rawURL[:i+2] + "xxxxx" + rawURL[j:]
		}
	}
	return rawURL
}

// NewWithClient uses an existing client (a cluster or sentinel client
// included) and key prefix.
func NewWithClient(client redis.UniversalClient, prefix string) *Store {
	return &Store{client: client, prefix: prefix}
}

// Close closes the connection.
func (s *Store) Close() error { return s.client.Close() }

// Ping checks that Redis answers, for a start-up check.
func (s *Store) Ping(ctx context.Context) error { return s.client.Ping(ctx).Err() }

// claimScript returns 0 when it set the claim, 1 when the id is done, 2
// when another claim holds it.
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 0
end
if v == 'done' then return 1 end
return 2
`)

// releaseScript deletes the key only while it holds this claim's token.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Claim implements webhook.Store.
func (s *Store) Claim(ctx context.Context, id string, lease time.Duration) (webhook.ClaimResult, error) {
	token := "claim:" + randomToken()
	n, err := claimScript.Run(ctx, s.client, []string{s.prefix + id}, token, lease.Milliseconds()).Int()
	if err != nil {
		return 0, fmt.Errorf("redis store: claim %q: %w", id, err)
	}
	switch n {
	case 0:
		s.tokens.Store(id, token)
		return webhook.Claimed, nil
	case 1:
		return webhook.Done, nil
	}
	return webhook.InProgress, nil
}

// Complete implements webhook.Store.
func (s *Store) Complete(ctx context.Context, id string, window time.Duration) error {
	s.tokens.Delete(id)
	if err := s.client.Set(ctx, s.prefix+id, "done", window).Err(); err != nil {
		return fmt.Errorf("redis store: complete %q: %w", id, err)
	}
	return nil
}

// Release implements webhook.Store.
func (s *Store) Release(ctx context.Context, id string) error {
	token, ok := s.tokens.LoadAndDelete(id)
	if !ok {
		return nil
	}
	if err := releaseScript.Run(ctx, s.client, []string{s.prefix + id}, token).Err(); err != nil {
		return fmt.Errorf("redis store: release %q: %w", id, err)
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
