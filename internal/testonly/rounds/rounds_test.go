package rounds

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	assert.Equal(t, 2.0, Median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, Median([]float64{4, 1, 3, 2}))
	xs := []float64{3, 1, 2}
	Median(xs)
	assert.Equal(t, []float64{3, 1, 2}, xs, "the caller's slice is left as it was")
}

func TestMedianRatio(t *testing.T) {
	// Per-round ratios 2, 4 and 1: their median, not the ratio of medians.
	assert.Equal(t, 2.0, MedianRatio([]float64{2, 8, 1}, []float64{1, 2, 1}))
}

func TestCPUTimeGrowsWithWork(t *testing.T) {
	before := CPUTime()
	x := 0
	for i := range 50_000_000 {
		x += i % 7
	}
	assert.NotZero(t, x)
	assert.Greater(t, CPUTime(), before)
}

// Each contender runs once a round, and the one that goes first turns.
func TestInterleave(t *testing.T) {
	var order []int
	wall, cpu := Interleave(3, 2, func(i int) (float64, float64) {
		order = append(order, i)
		return float64(i), float64(10 * i)
	})
	assert.Equal(t, []int{0, 1, 1, 0, 0, 1}, order)
	assert.Equal(t, [][]float64{{0, 0, 0}, {1, 1, 1}}, wall)
	assert.Equal(t, [][]float64{{0, 0, 0}, {10, 10, 10}}, cpu)
}
