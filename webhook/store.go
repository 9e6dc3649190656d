package webhook

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// ClaimResult is what a Store says about a delivery id.
type ClaimResult int

const (
	// Claimed: this caller holds the id and runs the callback.
	Claimed ClaimResult = iota
	// Done: a delivery with this id completed within the window; acknowledge
	// without running the callback again.
	Done
	// InProgress: another claim holds the id right now; answer so the
	// provider retries, never acknowledge what has not run.
	InProgress
)

// Store deduplicates deliveries by id across retries. Implementations must
// be safe for concurrent use and atomic per id: of two concurrent Claims of
// one id, exactly one gets Claimed.
type Store interface {
	// Claim reserves id for lease (after which a claim whose holder died
	// expires).
	Claim(ctx context.Context, id string, lease time.Duration) (ClaimResult, error)
	// Complete marks id done for window, so retries within it are Done.
	Complete(ctx context.Context, id string, window time.Duration) error
	// Release drops a claim whose callback failed, so the retry runs it.
	Release(ctx context.Context, id string) error
}

// MemoryStore is the default Store: ids in memory for the window, at most
// MaxEntries of them (the oldest go first when full). It serves one
// process; replicas behind a load balancer need a shared store.
type MemoryStore struct {
	mu         sync.Mutex
	entries    map[string]*list.Element
	order      *list.List // oldest first
	maxEntries int
	now        func() time.Time
}

type memoryEntry struct {
	id      string
	done    bool
	expires time.Time
}

// DefaultMaxEntries bounds a MemoryStore: at a few hundred bytes an id,
// about 100 MB when full.
const DefaultMaxEntries = 500_000

// NewMemoryStore returns a store holding at most maxEntries ids
// (DefaultMaxEntries when maxEntries < 1); now is its clock (time.Now when
// nil).
func NewMemoryStore(maxEntries int, now func() time.Time) *MemoryStore {
	if maxEntries < 1 {
		maxEntries = DefaultMaxEntries
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryStore{entries: map[string]*list.Element{}, order: list.New(), maxEntries: maxEntries, now: now}
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, id string, lease time.Duration) (ClaimResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if el, ok := s.entries[id]; ok {
		e := el.Value.(*memoryEntry)
		switch {
		case !now.Before(e.expires):
			// A lapsed lease (its holder died) behind live entries.
			s.order.Remove(el)
			delete(s.entries, id)
		case e.done:
			return Done, nil
		default:
			return InProgress, nil
		}
	}
	s.put(&memoryEntry{id: id, expires: now.Add(lease)})
	return Claimed, nil
}

// Complete implements Store.
func (s *MemoryStore) Complete(_ context.Context, id string, window time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[id]; ok {
		s.order.Remove(el)
		delete(s.entries, id)
	}
	s.put(&memoryEntry{id: id, done: true, expires: s.now().Add(window)})
	return nil
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[id]; ok && !el.Value.(*memoryEntry).done {
		s.order.Remove(el)
		delete(s.entries, id)
	}
	return nil
}

// Len returns how many ids the store holds.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// put appends e, dropping the oldest entry when full.
func (s *MemoryStore) put(e *memoryEntry) {
	for len(s.entries) >= s.maxEntries {
		oldest := s.order.Front()
		s.order.Remove(oldest)
		delete(s.entries, oldest.Value.(*memoryEntry).id)
	}
	s.entries[e.id] = s.order.PushBack(e)
}

// expire drops entries past their time from the front of the list. Entries
// are in insertion order, and leases are shorter than windows, so this can
// stop at the first live entry and leave a few expired leases for later.
func (s *MemoryStore) expire(now time.Time) {
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		e := el.Value.(*memoryEntry)
		if now.Before(e.expires) {
			return
		}
		s.order.Remove(el)
		delete(s.entries, e.id)
	}
}
