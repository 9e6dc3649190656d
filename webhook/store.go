package webhook

import (
	"context"
	"hash/maphash"
	"math"
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
	mu sync.Mutex
	// chunks hold the ids, linked from oldest to newest in the order
	// their time runs out. Slots are reused (free ones are chained through
	// next) and link by number, so a delivery allocates nothing in the
	// store once it has grown, and the collector scans no entry pointers;
	// the store grows a chunk at a time, never copying the slots it has.
	chunks               [][]memoryEntry
	slots                int32 // made so far
	oldest, newest, free int32 // noSlot when none
	live                 int
	// index finds an id's slot: an open-addressing table (linear probing)
	// kept at most three quarters full, each place 0 when empty or else
	// the slot+1 with the top half of the id's hash above it, so probing
	// past other ids rarely reads their entries. Unlike a map, a claim of
	// a new id looks it up and finds where it goes in one probe, and
	// growing it rehashes no id (each entry keeps its hash).
	index      []uint64
	seed       maphash.Seed
	maxEntries int
	now        func() time.Time // nil: time.Now
	epoch      time.Time
}

// memoryEntry is one id in its slot.
type memoryEntry struct {
	id         string
	hash       uint64
	expires    time.Duration // since the store's epoch
	prev, next int32
	done       bool
}

const noSlot = -1

// chunkSlots is how many slots the store makes at a time.
const chunkSlots = 256

// entry is slot i.
func (s *MemoryStore) entry(i int32) *memoryEntry { return &s.chunks[i/chunkSlots][i%chunkSlots] }

// DefaultMaxEntries bounds a MemoryStore: at a few hundred bytes an id,
// about 100 MB when full.
const DefaultMaxEntries = 500_000

// NewMemoryStore returns a store holding at most maxEntries ids
// (DefaultMaxEntries when maxEntries < 1; slots are numbered in 32 bits, so
// at most math.MaxInt32); now is its clock (time.Now when nil).
func NewMemoryStore(maxEntries int, now func() time.Time) *MemoryStore {
	if maxEntries < 1 {
		maxEntries = DefaultMaxEntries
	}
	maxEntries = min(maxEntries, math.MaxInt32)
	epoch := time.Now()
	if now != nil {
		epoch = now()
	}
	return &MemoryStore{index: make([]uint64, 16), seed: maphash.MakeSeed(), oldest: noSlot, newest: noSlot, free: noSlot, maxEntries: maxEntries, now: now, epoch: epoch}
}

// find looks id, of hash h, up: its slot, or noSlot and the place in the
// index where it would go.
func (s *MemoryStore) find(id string, h uint64) (at int, slot int32) {
	mask := len(s.index) - 1
	for at = int(h) & mask; ; at = (at + 1) & mask {
		t := s.index[at]
		if t == 0 {
			return at, noSlot
		}
		if t>>32 != h>>32 {
			continue
		}
		if e := s.entry(slotAt(t)); e.hash == h && e.id == id {
			return at, slotAt(t)
		}
	}
}

// indexed is what the index holds for slot i, whose id has hash h.
func indexed(h uint64, i int32) uint64 { return h>>32<<32 | uint64(i+1) }

// slotAt is the slot a non-empty place of the index holds.
func slotAt(t uint64) int32 { return int32(uint32(t)) - 1 }

// lookup finds id's slot (noSlot when the store has none), and its hash
// and place in the index.
func (s *MemoryStore) lookup(id string) (h uint64, at int, slot int32) {
	h = maphash.String(s.seed, id)
	at, slot = s.find(id, h)
	return h, at, slot
}

// place is where slot i is in the index.
func (s *MemoryStore) place(i int32) int {
	mask := len(s.index) - 1
	at := int(s.entry(i).hash) & mask
	for slotAt(s.index[at]) != i {
		at = (at + 1) & mask
	}
	return at
}

// unindex empties place at of the index, moving back the entries after it
// that probed past it (deletion without tombstones).
func (s *MemoryStore) unindex(at int) {
	mask := len(s.index) - 1
	for next := (at + 1) & mask; ; next = (next + 1) & mask {
		t := s.index[next]
		if t == 0 {
			s.index[at] = 0
			return
		}
		// An entry whose home is cyclically in (at, next] stays put.
		home := int(s.entry(slotAt(t)).hash) & mask
		if at <= next && at < home && home <= next || at > next && (at < home || home <= next) {
			continue
		}
		s.index[at] = t
		at = next
	}
}

// grow doubles the index when one more entry would fill it past three
// quarters.
func (s *MemoryStore) grow() {
	if 4*(s.live+1) <= 3*len(s.index) {
		return
	}
	s.index = make([]uint64, 2*len(s.index))
	mask := len(s.index) - 1
	for i := s.oldest; i != noSlot; i = s.entry(i).next {
		h := s.entry(i).hash
		at := int(h) & mask
		for s.index[at] != 0 {
			at = (at + 1) & mask
		}
		s.index[at] = indexed(h, i)
	}
}

// elapsed is the time since the store's epoch on its clock (the monotonic
// clock when both readings have one, as time.Time's own comparisons). On
// the default clock that is time.Since, which reads the monotonic clock
// alone: time.Now reads the wall clock too, a cost of every claim and
// completion.
func (s *MemoryStore) elapsed() time.Duration {
	if s.now == nil {
		return time.Since(s.epoch)
	}
	return s.now().Sub(s.epoch)
}

// later is at plus d, held at the largest duration rather than wrapping.
func later(at, d time.Duration) time.Duration {
	if d > 0 && at > math.MaxInt64-d {
		return math.MaxInt64
	}
	return at + d
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, id string, lease time.Duration) (ClaimResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.elapsed()
	s.expire(now)
	h, at, i := s.lookup(id)
	if i != noSlot {
		e := s.entry(i)
		switch {
		case now >= e.expires:
			// A lapsed lease (its holder died) behind live entries: claim
			// it afresh below.
		case e.done:
			return Done, nil
		default:
			return InProgress, nil
		}
		e.done, e.expires = false, later(now, lease)
		s.moveToNewest(i)
		return Claimed, nil
	}
	s.add(id, h, at, false, later(now, lease))
	return Claimed, nil
}

// Complete implements Store.
func (s *MemoryStore) Complete(_ context.Context, id string, window time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	expires := later(s.elapsed(), window)
	h, at, i := s.lookup(id)
	if i != noSlot {
		e := s.entry(i)
		e.done, e.expires = true, expires
		s.moveToNewest(i)
		return nil
	}
	s.add(id, h, at, true, expires)
	return nil
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, _, i := s.lookup(id); i != noSlot && !s.entry(i).done {
		s.remove(i)
	}
	return nil
}

// Len returns how many ids the store holds.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live
}

// add puts id, of hash h and not in the store, in a slot as the newest
// entry, dropping the oldest when full; at is where find said it goes.
func (s *MemoryStore) add(id string, h uint64, at int, done bool, expires time.Duration) {
	if s.live >= s.maxEntries || 4*(s.live+1) > 3*len(s.index) {
		// Removing or growing moves ids in the index.
		for s.live >= s.maxEntries {
			s.remove(s.oldest)
		}
		s.grow()
		at, _ = s.find(id, h)
	}
	i := s.free
	if i != noSlot {
		s.free = s.entry(i).next
	} else {
		if s.slots%chunkSlots == 0 {
			s.chunks = append(s.chunks, make([]memoryEntry, chunkSlots))
		}
		i = s.slots
		s.slots++
	}
	*s.entry(i) = memoryEntry{id: id, hash: h, done: done, expires: expires}
	s.index[at] = indexed(h, i)
	s.live++
	s.link(i)
}

// remove forgets the entry in slot i and frees the slot.
func (s *MemoryStore) remove(i int32) {
	s.unindex(s.place(i))
	s.live--
	s.unlink(i)
	*s.entry(i) = memoryEntry{next: s.free}
	s.free = i
}

// moveToNewest puts the entry in slot i, whose time was just extended, at
// the end.
func (s *MemoryStore) moveToNewest(i int32) {
	s.unlink(i)
	s.link(i)
}

func (s *MemoryStore) link(i int32) {
	e := s.entry(i)
	e.prev, e.next = s.newest, noSlot
	if s.newest != noSlot {
		s.entry(s.newest).next = i
	} else {
		s.oldest = i
	}
	s.newest = i
}

func (s *MemoryStore) unlink(i int32) {
	e := s.entry(i)
	if e.prev != noSlot {
		s.entry(e.prev).next = e.next
	} else {
		s.oldest = e.next
	}
	if e.next != noSlot {
		s.entry(e.next).prev = e.prev
	} else {
		s.newest = e.prev
	}
	e.prev, e.next = noSlot, noSlot
}

// expire drops entries past their time from the oldest end. Entries are in
// the order their time was last set, and leases are shorter than windows,
// so this can stop at the first live entry and leave a few expired leases
// for later.
func (s *MemoryStore) expire(now time.Duration) {
	for i := s.oldest; i != noSlot && now >= s.entry(i).expires; i = s.oldest {
		s.remove(i)
	}
}
