package webhook

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/race"
)

// claimer returns a function that claims an id in s for a minute.
func claimer(t *testing.T, s *MemoryStore) func(id string) ClaimResult {
	t.Helper()
	return func(id string) ClaimResult {
		r, err := s.Claim(context.Background(), id, time.Minute)
		require.NoError(t, err)
		return r
	}
}

func TestMemoryStoreSemantics(t *testing.T) {
	now := fixedNow
	s := NewMemoryStore(0, func() time.Time { return now })
	ctx := context.Background()
	claim := claimer(t, s)
	assert.Equal(t, Claimed, claim("a"))
	assert.Equal(t, InProgress, claim("a"), "a second copy while the first runs")
	require.NoError(t, s.Release(ctx, "a"))
	assert.Equal(t, Claimed, claim("a"), "a failed callback's retry runs")
	require.NoError(t, s.Complete(ctx, "a", time.Hour))
	assert.Equal(t, Done, claim("a"))
	require.NoError(t, s.Release(ctx, "a"))
	assert.Equal(t, Done, claim("a"), "releasing never forgets a completed delivery")

	now = now.Add(time.Hour + time.Second)
	assert.Equal(t, Claimed, claim("a"), "after the window the id is forgotten")

	assert.Equal(t, Claimed, claim("b"))
	require.NoError(t, s.Complete(ctx, "c", time.Hour))
	now = now.Add(2 * time.Minute)
	assert.Equal(t, Claimed, claim("b"), "a lapsed lease (its holder died) can be claimed again")
}

func TestMemoryStoreIsBounded(t *testing.T) {
	s := NewMemoryStore(100, func() time.Time { return fixedNow })
	ctx := context.Background()
	for i := 0; i < 1000; i++ {
		require.NoError(t, s.Complete(ctx, fmt.Sprint(i), time.Hour))
	}
	assert.Equal(t, 100, s.Len())
	r, _ := s.Claim(ctx, "999", time.Minute)
	assert.Equal(t, Done, r, "the newest ids are kept")
	r, _ = s.Claim(ctx, "0", time.Minute)
	assert.Equal(t, Claimed, r, "the oldest went first")
}

// A store on the default clock (nil) times leases and windows on the
// monotonic clock: a held claim stays held, a lapsed one is claimed afresh,
// and a completed id stays done for its window.
func TestMemoryStoreDefaultClockTimesLeases(t *testing.T) {
	s := NewMemoryStore(0, nil)
	ctx := context.Background()
	r, err := s.Claim(ctx, "held", time.Hour)
	require.NoError(t, err)
	require.Equal(t, Claimed, r)
	r, _ = s.Claim(ctx, "held", time.Hour)
	assert.Equal(t, InProgress, r, "within its lease")

	r, _ = s.Claim(ctx, "lapses", time.Millisecond)
	require.Equal(t, Claimed, r)
	time.Sleep(20 * time.Millisecond)
	r, _ = s.Claim(ctx, "lapses", time.Hour)
	assert.Equal(t, Claimed, r, "past its lease")

	require.NoError(t, s.Complete(ctx, "lapses", time.Hour))
	r, _ = s.Claim(ctx, "lapses", time.Hour)
	assert.Equal(t, Done, r, "within its window")

	require.NoError(t, s.Complete(ctx, "short", time.Millisecond))
	time.Sleep(20 * time.Millisecond)
	r, _ = s.Claim(ctx, "short", time.Hour)
	assert.Equal(t, Claimed, r, "past its window")
}

func TestMemoryStoreOneClaimPerID(t *testing.T) {
	s := NewMemoryStore(0, nil)
	var claimed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, _ := s.Claim(context.Background(), "same", time.Minute); r == Claimed {
				claimed.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), claimed.Load())
}

// Completing or re-claiming an id extends its time, so it moves to the
// newest end: a full store then drops the id whose time runs out first.
func TestMemoryStoreKeepsIDsInTheOrderTheyExpire(t *testing.T) {
	now := fixedNow
	s := NewMemoryStore(2, func() time.Time { return now })
	ctx := context.Background()
	claim := claimer(t, s)
	require.Equal(t, Claimed, claim("a"))
	require.Equal(t, Claimed, claim("b"))
	require.NoError(t, s.Complete(ctx, "a", time.Hour))
	require.Equal(t, Claimed, claim("c"), "the store is full: b, the oldest, goes")
	assert.Equal(t, Done, claim("a"))
	assert.Equal(t, InProgress, claim("c"))
	assert.Equal(t, 2, s.Len())

	now = now.Add(2 * time.Minute) // c's lease lapses; a is done for an hour
	assert.Equal(t, Claimed, claim("c"), "a lapsed lease is claimed again")
	now = now.Add(2 * time.Minute)
	assert.Equal(t, Done, claim("a"))
	assert.Equal(t, 2, s.Len(), "c's lapsed lease waits behind a, still live")
	now = now.Add(time.Hour)
	assert.Equal(t, Claimed, claim("b"), "every time has run out")
	assert.Equal(t, 1, s.Len())
}

// A delivery costs the store no allocation of its own: its entry takes a
// slot in a slice that grows now and then (as the index does), and
// completing it changes the slot in place.
func TestMemoryStoreAllocatesNothingADelivery(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations; make test runs this test again without it")
	}
	s := NewMemoryStore(0, func() time.Time { return fixedNow })
	ctx := context.Background()
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = fmt.Sprint("delivery-", i)
	}
	next := 0
	allocs := testing.AllocsPerRun(100, func() {
		id := ids[next]
		next++
		_, err := s.Claim(ctx, id, time.Minute)
		require.NoError(t, err)
		require.NoError(t, s.Complete(ctx, id, time.Hour))
	})
	assert.LessOrEqual(t, allocs, 0.5, "now and then the slots or the index growing")
}

// Slots of forgotten ids are used again: a store whose ids come and go
// holds no more slots than it held ids at once.
func TestMemoryStoreReusesSlots(t *testing.T) {
	now := fixedNow
	s := NewMemoryStore(3, func() time.Time { return now })
	ctx := context.Background()
	claim := claimer(t, s)
	for i := 0; i < 100; i++ {
		id := fmt.Sprint("released-", i)
		require.Equal(t, Claimed, claim(id))
		require.NoError(t, s.Release(ctx, id))
	}
	for i := 0; i < 100; i++ {
		require.NoError(t, s.Complete(ctx, fmt.Sprint("evicted-", i), time.Hour))
	}
	for i := 0; i < 100; i++ {
		require.Equal(t, Claimed, claim(fmt.Sprint("expired-", i)))
		now = now.Add(2 * time.Hour)
	}
	assert.Equal(t, 1, s.Len())
	assert.LessOrEqual(t, s.slots, int32(3))
	assert.Equal(t, Claimed, claim("evicted-99"), "expired while the clock ran on")
}

// BenchmarkMemoryStore claims and completes a new id a delivery, in a store
// of DefaultMaxEntries that fills and then drops its oldest, as a busy
// handler's store does within its window.
func BenchmarkMemoryStore(b *testing.B) {
	s := NewMemoryStore(0, nil)
	ctx := context.Background()
	ids := make([]string, 1<<20)
	for i := range ids {
		ids[i] = fmt.Sprint("provider:delivery-", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[i%len(ids)]
		if r, _ := s.Claim(ctx, id, DefaultLease); r != Claimed {
			b.Fatal(r)
		}
		_ = s.Complete(ctx, id, DefaultWindow)
	}
}

// The store answers as a plain model of its rules does (ids in the order
// their time was last set, the oldest dropped when full, expired ones from
// the oldest end up to the first live one), over many random claims,
// completions, releases and clock steps: its index (open addressing, with
// entries moved back on removal) finds every id it holds and no other.
func TestMemoryStoreMatchesItsModel(t *testing.T) {
	type modelEntry struct {
		id      string
		done    bool
		expires time.Time
	}
	for _, size := range []struct{ maxEntries, ids int }{{4, 9}, {16, 40}, {200, 500}} {
		t.Run(fmt.Sprint(size.maxEntries), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(1, uint64(size.maxEntries)))
			now := fixedNow
			s := NewMemoryStore(size.maxEntries, func() time.Time { return now })
			ctx := context.Background()
			var order []modelEntry // oldest first
			find := func(id string) int {
				return slices.IndexFunc(order, func(e modelEntry) bool { return e.id == id })
			}
			setNewest := func(e modelEntry) {
				if k := find(e.id); k >= 0 {
					order = slices.Delete(order, k, k+1)
				} else if len(order) >= size.maxEntries {
					order = order[1:]
				}
				order = append(order, e)
			}
			for op := 0; op < 20_000; op++ {
				id := fmt.Sprint("id-", rnd.IntN(size.ids))
				switch rnd.IntN(4) {
				case 0:
					lease := time.Duration(1+rnd.IntN(3)) * time.Minute
					got, err := s.Claim(ctx, id, lease)
					require.NoError(t, err)
					for len(order) > 0 && !now.Before(order[0].expires) {
						order = order[1:]
					}
					want := Claimed
					if k := find(id); k >= 0 && now.Before(order[k].expires) {
						want = map[bool]ClaimResult{true: Done, false: InProgress}[order[k].done]
					}
					if want == Claimed {
						setNewest(modelEntry{id: id, expires: now.Add(lease)})
					}
					require.Equal(t, want, got, "op %d: claim %s", op, id)
				case 1:
					window := time.Duration(5+rnd.IntN(6)) * time.Minute
					require.NoError(t, s.Complete(ctx, id, window))
					setNewest(modelEntry{id: id, done: true, expires: now.Add(window)})
				case 2:
					require.NoError(t, s.Release(ctx, id))
					if k := find(id); k >= 0 && !order[k].done {
						order = slices.Delete(order, k, k+1)
					}
				default:
					now = now.Add(time.Duration(rnd.IntN(90)) * time.Second)
				}
				require.Equal(t, len(order), s.Len(), "op %d", op)
			}
		})
	}
}
