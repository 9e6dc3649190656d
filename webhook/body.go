package webhook

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// DefaultBodyBudget bounds the bytes a handler holds, summed over every
// request it is reading or running at once (64 deliveries at the default
// body cap; thousands of real ones, which are a few KiB).
const DefaultBodyBudget = 64 << 20

// DefaultBodyTimeout is how long a request may take to send its body. A
// provider sends a few KiB at once; a client that trickles holds memory and
// a connection, and must not hold a graceful shutdown past its grace period.
const DefaultBodyTimeout = 10 * time.Second

// BodyBudget bounds the memory that request bodies hold at once. Share one
// between the handlers of a process (WithBodyBudget) to bound them
// together; past it a request is answered 503 with Retry-After, before its
// body is read further.
type BodyBudget struct {
	used  atomic.Int64
	limit int64
}

// NewBodyBudget returns a budget of limit bytes.
func NewBodyBudget(limit int64) *BodyBudget { return &BodyBudget{limit: limit} }

func (b *BodyBudget) take(n int64) bool {
	for {
		used := b.used.Load()
		if used+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			return true
		}
	}
}

func (b *BodyBudget) give(n int64) { b.used.Add(-n) }

// WithBodyBudget sets the budget request bodies share (default: one of
// DefaultBodyBudget per handler).
func WithBodyBudget(b *BodyBudget) Option { return func(o *options) { o.budget = b } }

// WithBodyTimeout sets how long a request may take to send its body
// (default DefaultBodyTimeout; 0 leaves it to the http.Server).
func WithBodyTimeout(d time.Duration) Option { return func(o *options) { o.bodyTimeout = d } }

var (
	errBodyTooLarge = errors.New("body too large")
	errOverBudget   = errors.New("over budget")
)

// heldBody is a request body read under the budget; release gives its
// bytes back.
type heldBody struct {
	data   []byte
	held   int64
	budget *BodyBudget
}

func (h *heldBody) release() {
	if h.held > 0 {
		h.budget.give(h.held)
		h.held = 0
	}
}

// readBody reads at most limit bytes of r's body, taking from budget what
// it holds before it allocates it: a client that declares a large body and
// stalls holds only about what it has sent, and the sum over all clients
// stays under the budget. A declared length over limit is refused before
// anything is read, so a client waiting on "Expect: 100-continue" is never
// told to send. The body must have arrived by deadline (none when zero),
// which the handler sets from the request's arrival.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, budget *BodyBudget, deadline time.Time) (heldBody, error) {
	h := heldBody{budget: budget}
	if r.ContentLength > limit {
		return h, errBodyTooLarge
	}
	if !deadline.IsZero() {
		setReadDeadline(w, deadline)
	}
	// One byte past what may come shows the end (or the excess) without
	// another allocation.
	ceiling := limit + 1
	if r.ContentLength >= 0 {
		ceiling = r.ContentLength + 1
	}
	for {
		if len(h.data) == cap(h.data) {
			grown := min(ceiling, max(32<<10, 2*int64(cap(h.data))))
			if grown <= int64(cap(h.data)) { // the declared length was a lie
				grown = min(limit+1, int64(cap(h.data))+32<<10)
			}
			if !budget.take(grown) {
				return h, errOverBudget
			}
			next := make([]byte, len(h.data), grown)
			copy(next, h.data)
			h.release()
			h.data, h.held = next, grown
		}
		n, err := r.Body.Read(h.data[len(h.data):cap(h.data)])
		h.data = h.data[:len(h.data)+n]
		if int64(len(h.data)) > limit {
			return h, errBodyTooLarge
		}
		if errors.Is(err, io.EOF) {
			return h, nil
		}
		if err != nil {
			return h, err
		}
	}
}

// setReadDeadline sets the deadline for reading the request body, as
// http.ResponseController does, through writers that wrap another (an
// Unwrap method). Not every ResponseWriter can (httptest's cannot); the
// server's own timeouts then apply. ResponseController is not used because
// it words each such refusal with fmt.Errorf, a cost on every request.
func setReadDeadline(w http.ResponseWriter, deadline time.Time) {
	for {
		switch rw := w.(type) {
		case interface{ SetReadDeadline(time.Time) error }:
			_ = rw.SetReadDeadline(deadline)
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = rw.Unwrap()
		default:
			return
		}
	}
}
