package s3capture

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/webhook"
)

// Sink stores captures as objects: a webhook.CaptureSink.
type Sink struct {
	store
	recent recentKeys
}

// WriteCheckKey is the object, below the prefix, that Open writes (once:
// a conditional put) to learn at start-up that captures can be stored.
const WriteCheckKey = ".payhooks-write-check"

// Open returns the sink of url (s3://BUCKET/PREFIX), having checked that
// the credentials may write there: a receiver fails at start-up, naming
// the variables to fix, rather than at its first delivery.
func Open(ctx context.Context, url string, cfg Config) (*Sink, error) {
	st, err := dial(url, cfg)
	if err != nil {
		return nil, err
	}
	s := &Sink{store: st, recent: newRecentKeys(recentKeysKept)}
	_, err = s.put(ctx, s.loc.key(WriteCheckKey), []byte("payhooks checks here that it may write captures\n"), "text/plain")
	if err != nil && !isExists(err) {
		return nil, explain(s.loc, "write check", err, cfg.Endpoint)
	}
	return s, nil
}

// Location is where the sink writes.
func (s *Sink) Location() Location { return s.loc }

// Key is the object key of a capture: PREFIX/<provider>/<date>/<name>.
func Key(loc Location, provider, date, name string) string {
	return loc.key(provider + "/" + date + "/" + name)
}

// Put implements webhook.CaptureSink: it stores c under
// PREFIX/<provider>/<date received, UTC>/<capture name> unless an object
// is there, which it keeps (the error then wraps webhook.ErrCaptureExists).
// A retry that this sink saw first on an earlier day goes to that day's
// key, so it is not captured twice.
func (s *Sink) Put(ctx context.Context, c *webhook.Capture) error {
	name, f := capture.Of(c)
	data, err := capture.Encode(f)
	if err != nil {
		return err
	}
	date, seen := s.recent.get(c.Provider, name)
	if !seen {
		date = c.ReceivedAt.UTC().Format(time.DateOnly)
	}
	key := Key(s.loc, capture.Segment(c.Provider), date, name)
	_, err = s.put(ctx, key, data, "application/json")
	switch {
	case err == nil:
		s.recent.add(c.Provider, name, date)
		return nil
	case isExists(err):
		s.recent.add(c.Provider, name, date)
		return fmt.Errorf("s3://%s/%s: %w", s.loc.Bucket, key, webhook.ErrCaptureExists)
	}
	return explain(s.loc, "put "+key, err, s.endpoint)
}

// put writes data to key only if no object is there, retrying the
// conflict S3 answers while another conditional write of the key runs.
func (s *Sink) put(ctx context.Context, key string, data []byte, contentType string) (*s3.PutObjectOutput, error) {
	for attempt := 0; ; attempt++ {
		out, err := s.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(s.loc.Bucket), Key: aws.String(key), Body: bytes.NewReader(data),
			ContentLength: aws.Int64(int64(len(data))), ContentType: aws.String(contentType),
			IfNoneMatch: aws.String("*"),
		})
		if err != nil && statusCode(err) == http.StatusConflict && attempt < 3 {
			time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
			continue
		}
		return out, err
	}
}

// isExists says a conditional put found the key taken.
func isExists(err error) bool {
	return statusCode(err) == http.StatusPreconditionFailed || errorCode(err) == "PreconditionFailed"
}

// recentKeysKept bounds the deliveries a sink remembers the date of: a
// few tens of bytes each.
const recentKeysKept = 100_000

// recentKeys remembers the date under which recent deliveries were
// stored, oldest forgotten first.
type recentKeys struct {
	mu    sync.Mutex
	dates map[string]string
	order []string // a ring of keys of dates, next to overwrite at next
	next  int
}

func newRecentKeys(n int) recentKeys {
	return recentKeys{dates: map[string]string{}, order: make([]string, n)}
}

func (r *recentKeys) get(provider, name string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.dates[provider+"/"+name]
	return d, ok
}

func (r *recentKeys) add(provider, name, date string) {
	k := provider + "/" + name
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.dates[k]; ok {
		return
	}
	if old := r.order[r.next]; old != "" {
		delete(r.dates, old)
	}
	r.order[r.next] = k
	r.next = (r.next + 1) % len(r.order)
	r.dates[k] = date
}
