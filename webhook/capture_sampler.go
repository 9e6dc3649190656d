package webhook

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// CaptureSampler is sampled capture's queue: a share of deliveries, chosen
// by a hash of their delivery id (so every retry of a delivery, on any
// replica, is in or out of the sample alike), queued for its workers to
// store. The queue is bounded in captures and in bytes; a delivery that
// finds it full is answered as usual and its capture dropped and counted.
// One sampler may serve several handlers; Close drains it.
type CaptureSampler struct {
	threshold uint64 // a delivery is sampled when its hash is below
	all       bool
	timeout   time.Duration
	maxBytes  int64

	mu     sync.RWMutex // held to send to queue, and to close it
	closed bool
	queue  chan queued
	bytes  atomic.Int64
	wg     sync.WaitGroup

	stored, existing, dropped, failed, unsampled atomic.Uint64
}

type queued struct {
	sink   CaptureSink
	c      *Capture
	logger *slog.Logger
}

// SamplerOptions tunes NewCaptureSampler.
type SamplerOptions struct {
	// Rate is the share of deliveries captured, above 0 and at most 1.
	Rate float64
	// Queue bounds the captures waiting for a worker (default 1024).
	Queue int
	// QueueBytes bounds the bodies waiting (default 64 MiB).
	QueueBytes int64
	// Workers is how many captures are stored at once (default 4).
	Workers int
	// Timeout bounds one Put (default 30 s).
	Timeout time.Duration
}

// SamplerStats counts what a sampler did with the deliveries it saw.
type SamplerStats struct {
	// Stored and Existing count captures written, and found written
	// already.
	Stored, Existing uint64
	// Dropped counts captures lost to a full queue (or a closed sampler),
	// Failed those the sink could not store.
	Dropped, Failed uint64
	// Unsampled counts deliveries left out of the sample.
	Unsampled uint64
	// Queued is how many wait now.
	Queued int
}

// NewCaptureSampler starts a sampler's workers.
func NewCaptureSampler(o SamplerOptions) (*CaptureSampler, error) {
	if !(o.Rate > 0 && o.Rate <= 1) {
		return nil, fmt.Errorf("capture sampler: rate %v: want above 0 and at most 1", o.Rate)
	}
	if o.Queue < 1 {
		o.Queue = 1024
	}
	if o.QueueBytes < 1 {
		o.QueueBytes = 64 << 20
	}
	if o.Workers < 1 {
		o.Workers = 4
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	s := &CaptureSampler{
		all: o.Rate == 1, threshold: uint64(o.Rate * math.MaxUint64), timeout: o.Timeout,
		maxBytes: o.QueueBytes, queue: make(chan queued, o.Queue),
	}
	for range o.Workers {
		s.wg.Add(1)
		go s.work()
	}
	return s, nil
}

// offer queues c for sink unless it is out of the sample or the queue is
// full; it never waits.
func (s *CaptureSampler) offer(sink CaptureSink, c *Capture, logger *slog.Logger) CaptureStatus {
	if !s.sampled(c) {
		s.unsampled.Add(1)
		return CaptureUnsampled
	}
	size := int64(len(c.Body))
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed || s.bytes.Add(size) > s.maxBytes {
		if !s.closed {
			s.bytes.Add(-size)
		}
		s.dropped.Add(1)
		return CaptureDropped
	}
	select {
	case s.queue <- queued{sink: sink, c: c, logger: logger}:
		return CaptureQueued
	default:
		s.bytes.Add(-size)
		s.dropped.Add(1)
		return CaptureDropped
	}
}

// sampled decides by a hash of the delivery's provider and id (or body,
// when it has no id).
func (s *CaptureSampler) sampled(c *Capture) bool {
	if s.all {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(c.Provider))
	h.Write([]byte{0})
	if c.DeliveryID != "" {
		h.Write([]byte(c.DeliveryID))
	} else {
		h.Write(c.Body)
	}
	return h.Sum64() < s.threshold
}

func (s *CaptureSampler) work() {
	defer s.wg.Done()
	for q := range s.queue {
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		err := q.sink.Put(ctx, q.c)
		cancel()
		s.bytes.Add(-int64(len(q.c.Body)))
		switch {
		case err == nil:
			s.stored.Add(1)
		case errors.Is(err, ErrCaptureExists):
			s.existing.Add(1)
		default:
			s.failed.Add(1)
			q.logger.Warn("payhooks: sampled capture lost: the sink failed", "provider", q.c.Provider, "event", q.c.Event, "delivery_id", q.c.DeliveryID, "error", err)
		}
	}
}

// Stats returns the sampler's counts so far.
func (s *CaptureSampler) Stats() SamplerStats {
	return SamplerStats{
		Stored: s.stored.Load(), Existing: s.existing.Load(),
		Dropped: s.dropped.Load(), Failed: s.failed.Load(), Unsampled: s.unsampled.Load(),
		Queued: len(s.queue),
	}
}

// Close stops taking captures (later ones count as dropped) and waits for
// the queued ones to be stored, or for ctx to end.
func (s *CaptureSampler) Close(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("capture sampler: %d captures still queued: %w", len(s.queue), ctx.Err())
	}
}
