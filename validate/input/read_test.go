package input

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

// linesOf reads every payload readLines yields from r.
func linesOf(t *testing.T, r io.Reader) []validate.Payload {
	t.Helper()
	var got []validate.Payload
	lines := reader{yield: func(p validate.Payload) error {
		got = append(got, p)
		return nil
	}, wait: func() error { return nil }}
	require.NoError(t, lines.readLines("x.ndjson", r, true))
	return got
}

// Lines are pieces of the blocks they were read into, yet each keeps its
// bytes however much is read after it: lines shorter and longer than a
// block, across block ends, read whole, in halves or 1 000 bytes at a time,
// CRLF and a last line with no newline.
func TestLinesKeepTheirBytes(t *testing.T) {
	var want []string
	var input strings.Builder
	for i, n := range []int{1, 10, lineBlock - 3, 5, lineBlock + 7, 2 * lineBlock, 0, 3, lineBlock, 100} {
		line := strings.Repeat(string(rune('a'+i)), n)
		want = append(want, line)
		input.WriteString(line)
		if i%3 == 0 {
			input.WriteString("\r")
		}
		input.WriteString("\n")
	}
	input.WriteString("last")
	want = append(want, "last")
	for name, r := range map[string]func(io.Reader) io.Reader{
		"whole":       func(r io.Reader) io.Reader { return r },
		"halves":      iotest.HalfReader,
		"short reads": func(r io.Reader) io.Reader { return shortReads{r} },
	} {
		got := linesOf(t, r(strings.NewReader(input.String())))
		var lines []string
		for _, p := range got {
			lines = append(lines, string(p.Body))
			assert.Equal(t, len(p.Body), cap(p.Body), "%s: an append to a line copies it", name)
		}
		var nonBlank []string
		for _, w := range want {
			if w != "" {
				nonBlank = append(nonBlank, w)
			}
		}
		assert.Equal(t, nonBlank, lines, name)
		assert.Equal(t, 11, got[len(got)-1].Line, "%s: blank lines are counted", name)
	}
}

// shortReads reads at most 1 000 bytes at a time.
type shortReads struct{ r io.Reader }

func (s shortReads) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), 1000)]) }

// A run of short lines costs an allocation a block, not one a line.
func TestLinesShareTheirBlocks(t *testing.T) {
	input := bytes.Repeat([]byte(`{"a": 1}`+"\n"), 4000)
	allocs := testing.AllocsPerRun(5, func() { linesOf(t, bytes.NewReader(input)) })
	assert.Less(t, allocs, 40.0, "4000 lines")
}

// Run hands payloads to its workers in batches, yet a result of a stream
// comes as soon as its payload does: a batch goes out before a read that
// may wait.
func TestRunEmitsAStreamsResultsAsTheyCome(t *testing.T) {
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	stdin, feed := io.Pipe()
	results := make(chan validate.Result)
	done := make(chan error, 1)
	go func() {
		done <- Run(v, []string{"-"}, stdin, RunOptions{}, func(r validate.Result) error {
			results <- r
			return nil
		})
	}()
	line := `{"type": "PAYMENT_COMPLETED", "data": {}}` + "\n"
	for i := range 3 {
		_, err := io.WriteString(feed, line)
		require.NoError(t, err)
		select {
		case r := <-results:
			assert.Equal(t, i+1, r.Line)
		case <-time.After(10 * time.Second):
			t.Fatalf("no result for line %d while the stream stays open", i+1)
		}
	}
	require.NoError(t, feed.Close())
	require.NoError(t, <-done)
}

// Many payloads of a file come back in order, every one, through batches
// and workers.
func TestRunKeepsTheOrder(t *testing.T) {
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "many.ndjson")
	var lines strings.Builder
	for range 1000 {
		lines.WriteString(`{"type": "PAYMENT_COMPLETED"}` + "\n\n")
	}
	require.NoError(t, os.WriteFile(path, []byte(lines.String()), 0o644))
	next := 1
	require.NoError(t, Run(v, []string{path}, nil, RunOptions{Workers: 3}, func(r validate.Result) error {
		assert.Equal(t, next, r.Line)
		next += 2
		return nil
	}))
	assert.Equal(t, 2001, next)
}

// Run reads a stream's lines into blocks it reuses once the results of
// their lines are out: a stream of many megabytes allocates a fraction of
// its size, and every line is still checked as it was read (each names an
// unknown property of its own, which its result must report).
func TestRunReadsAStreamIntoReusedBlocks(t *testing.T) {
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	example, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, example))
	var file bytes.Buffer
	lines := 0
	for file.Len() < 8<<20 {
		lines++
		fmt.Fprintf(&file, `{"extra_%d":1,%s`+"\n", lines, compact.Bytes()[1:])
	}
	path := filepath.Join(t.TempDir(), "stream.ndjson")
	require.NoError(t, os.WriteFile(path, file.Bytes(), 0o644))
	run := func() {
		next := 1
		require.NoError(t, Run(v, []string{path}, nil, RunOptions{Workers: 3}, func(r validate.Result) error {
			require.Equal(t, next, r.Line)
			pointers := make([]string, len(r.Findings))
			for i, f := range r.Findings {
				pointers[i] = f.Pointer
			}
			require.Contains(t, pointers, fmt.Sprintf("/extra_%d", next), "line %d", next)
			next++
			return nil
		}))
		require.Equal(t, lines+1, next)
	}
	run() // compiles the schemas
	if race.Enabled {
		return // the race detector allocates for itself
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	run()
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d MB stream of %d lines: %d MB allocated", file.Len()>>20, lines, allocated>>20)
	assert.Less(t, allocated, uint64(file.Len()*3/4), "the blocks are read into again")
}
