package webhook

import (
	"context"
	"fmt"
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

// A delivery costs the store one allocation: its entry, made by Claim;
// completing it changes the entry in place.
func TestMemoryStoreAllocatesOnceADelivery(t *testing.T) {
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
	assert.LessOrEqual(t, allocs, 1.5, "one entry, and now and then the map growing")
}
