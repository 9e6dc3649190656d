package webhook

import (
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
	entries    map[string]*memoryEntry
	oldest     *memoryEntry // the list runs from oldest to newest through next
	newest     *memoryEntry
	maxEntries int
	now        func() time.Time
}

// memoryEntry is one id, linked into the store's list in the order its
// time runs out: one allocation per id, none to complete it.
type memoryEntry struct {
	id         string
	done       bool
	expires    time.Time
	prev, next *memoryEntry
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
	return &MemoryStore{entries: map[string]*memoryEntry{}, maxEntries: maxEntries, now: now}
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, id string, lease time.Duration) (ClaimResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if e, ok := s.entries[id]; ok {
		switch {
		case !now.Before(e.expires):
			// A lapsed lease (its holder died) behind live entries: claim
			// it afresh below.
		case e.done:
			return Done, nil
		default:
			return InProgress, nil
		}
		e.done, e.expires = false, now.Add(lease)
		s.moveToNewest(e)
		return Claimed, nil
	}
	s.add(&memoryEntry{id: id, expires: now.Add(lease)})
	return Claimed, nil
}

// Complete implements Store.
func (s *MemoryStore) Complete(_ context.Context, id string, window time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	expires := s.now().Add(window)
	if e, ok := s.entries[id]; ok {
		e.done, e.expires = true, expires
		s.moveToNewest(e)
		return nil
	}
	s.add(&memoryEntry{id: id, done: true, expires: expires})
	return nil
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[id]; ok && !e.done {
		s.remove(e)
	}
	return nil
}

// Len returns how many ids the store holds.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// add appends e as the newest entry, dropping the oldest when full.
func (s *MemoryStore) add(e *memoryEntry) {
	for len(s.entries) >= s.maxEntries {
		s.remove(s.oldest)
	}
	s.entries[e.id] = e
	s.link(e)
}

// remove forgets e.
func (s *MemoryStore) remove(e *memoryEntry) {
	s.unlink(e)
	delete(s.entries, e.id)
}

// moveToNewest puts e, whose time was just extended, at the end.
func (s *MemoryStore) moveToNewest(e *memoryEntry) {
	s.unlink(e)
	s.link(e)
}

func (s *MemoryStore) link(e *memoryEntry) {
	e.prev, e.next = s.newest, nil
	if s.newest != nil {
		s.newest.next = e
	} else {
		s.oldest = e
	}
	s.newest = e
}

func (s *MemoryStore) unlink(e *memoryEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		s.oldest = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		s.newest = e.prev
	}
	e.prev, e.next = nil, nil
}

// expire drops entries past their time from the oldest end. Entries are in
// the order their time was last set, and leases are shorter than windows,
// so this can stop at the first live entry and leave a few expired leases
// for later.
func (s *MemoryStore) expire(now time.Time) {
	for e := s.oldest; e != nil && !now.Before(e.expires); e = s.oldest {
		s.remove(e)
	}
}
