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
//
// An outage must not hold the retry of a delivery it failed: a claim whose
// answer was lost may have landed, and a failed delivery's release may not
// have. Either is kept as a release owed (its token, until its lease would
// end anyway), paid when Redis answers again: before the next claim of that
// id, and by a background retry every second, so the provider's retry runs
// rather than meeting the orphaned claim (409) for the whole lease.
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
	// claims remembers, per id this store claimed, the token its claim
	// holds (a heldClaim), so Release never deletes another replica's
	// claim.
	claims sync.Map

	mu sync.Mutex
	// owed are the releases an outage left unpaid, by id.
	owed     map[string][]heldClaim
	retrying bool          // the background retry runs
	closed   chan struct{} // closed by Close, to stop it
}

// heldClaim is a claim's token and when its lease ends.
type heldClaim struct {
	token string
	until time.Time
}

// maxOwed bounds the releases remembered during an outage; past it, a
// claim is left to its lease.
const maxOwed = 100_000

// retryEvery is how often owed releases are retried.
const retryEvery = time.Second

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
	return &Store{client: client, prefix: prefix, owed: map[string][]heldClaim{}, closed: make(chan struct{})}
}

// Close stops retrying owed releases and closes the connection.
func (s *Store) Close() error {
	s.mu.Lock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	return s.client.Close()
}

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
	// A claim of this id an outage orphaned goes first, so its retry runs.
	if err := s.payOwed(ctx, id); err != nil {
		return 0, fmt.Errorf("redis store: claim %q: %w", id, err)
	}
	claim := heldClaim{token: "claim:" + randomToken(), until: time.Now().Add(lease)}
	n, err := claimScript.Run(ctx, s.client, []string{s.prefix + id}, claim.token, lease.Milliseconds()).Int()
	if err != nil {
		// The answer is lost, not necessarily the claim: release it once
		// Redis answers, as no callback will run under it.
		s.owe(id, claim)
		return 0, fmt.Errorf("redis store: claim %q: %w", id, err)
	}
	switch n {
	case 0:
		s.claims.Store(id, claim)
		return webhook.Claimed, nil
	case 1:
		return webhook.Done, nil
	}
	return webhook.InProgress, nil
}

// Complete implements webhook.Store.
func (s *Store) Complete(ctx context.Context, id string, window time.Duration) error {
	s.claims.Delete(id)
	if err := s.client.Set(ctx, s.prefix+id, "done", window).Err(); err != nil {
		return fmt.Errorf("redis store: complete %q: %w", id, err)
	}
	return nil
}

// Release implements webhook.Store.
func (s *Store) Release(ctx context.Context, id string) error {
	held, ok := s.claims.LoadAndDelete(id)
	if !ok {
		return nil
	}
	claim := held.(heldClaim)
	if err := releaseScript.Run(ctx, s.client, []string{s.prefix + id}, claim.token).Err(); err != nil {
		// Its lease would hold the retry: release it once Redis answers.
		s.owe(id, claim)
		return fmt.Errorf("redis store: release %q: %w", id, err)
	}
	return nil
}

// owe remembers a release to pay, and starts the background retry.
func (s *Store) owe(id string, r heldClaim) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.owed) >= maxOwed {
		return
	}
	s.owed[id] = append(s.owed[id], r)
	if !s.retrying {
		s.retrying = true
		go s.retry()
	}
}

// payOwed releases the claims owed for id; they stay owed if Redis does not
// answer.
func (s *Store) payOwed(ctx context.Context, id string) error {
	s.mu.Lock()
	owed := s.owed[id]
	delete(s.owed, id)
	s.mu.Unlock()
	now := time.Now()
	for i, r := range owed {
		if now.After(r.until) {
			continue // expired in Redis already
		}
		if err := releaseScript.Run(ctx, s.client, []string{s.prefix + id}, r.token).Err(); err != nil {
			for _, rest := range owed[i:] {
				s.owe(id, rest)
			}
			return err
		}
	}
	return nil
}

// retry pays owed releases every retryEvery until none is left or the store
// is closed.
func (s *Store) retry() {
	tick := time.NewTicker(retryEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.closed:
			return
		case <-tick.C:
		}
		s.mu.Lock()
		ids := make([]string, 0, len(s.owed))
		for id := range s.owed {
			ids = append(ids, id)
		}
		s.mu.Unlock()
		for _, id := range ids {
			ctx, cancel := context.WithTimeout(context.Background(), retryEvery)
			err := s.payOwed(ctx, id)
			cancel()
			if err != nil {
				break // Redis still away: the rest wait for the next tick
			}
		}
		s.mu.Lock()
		if len(s.owed) == 0 {
			s.retrying = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
	}
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
