package learn_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/learn"
	"github.com/payhooks/payhooks/internal/testonly/rounds"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
	"github.com/payhooks/payhooks/webhook/drift"
)

// captures yields n captured-like Rapyd payloads: a third clean, a third
// with an undocumented object whose values vary, a third with one of five
// undocumented statuses. The places that drift are few however many
// payloads there are.
func captures(t testing.TB, n int, yield func(validate.Payload)) int64 {
	t.Helper()
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	text := string(body)
	var bytes int64
	for i := range n {
		b := text
		switch i % 3 {
		case 1:
			b = strings.Replace(b, `"status": "CLO"`, fmt.Sprintf(`"status": "CLO", "risk": {"score": %d, "checked_at": "2024-05-%02dT10:00:00Z"}`, i%100, 1+i%28), 1)
		case 2:
			b = strings.Replace(b, `"status": "CLO"`, fmt.Sprintf(`"status": "X%d"`, i%5), 1)
		}
		bytes += int64(len(b))
		yield(validate.Payload{Source: "captures.ndjson", Line: i + 1, Body: []byte(b)})
	}
	return bytes
}

// writeNDJSON writes the n payloads gen makes, compacted, one a line, to a
// file of that name in a temporary folder, and returns it and their size.
func writeNDJSON(b *testing.B, name string, n int, gen func(testing.TB, int, func(validate.Payload)) int64) (string, int64) {
	b.Helper()
	file := filepath.Join(b.TempDir(), name)
	f, err := os.Create(file)
	require.NoError(b, err)
	w := bufio.NewWriter(f)
	size := gen(b, n, func(p validate.Payload) {
		var compact bytes.Buffer
		require.NoError(b, json.Compact(&compact, p.Body))
		w.Write(compact.Bytes())
		w.WriteByte('\n')
	})
	require.NoError(b, w.Flush())
	require.NoError(b, f.Close())
	return file, size
}

// Learning costs little more than validating: the findings are gathered
// from the same check, and only the drifting values are decoded. Both read
// the same generated NDJSON file, as payhooks validate and schemas learn
// do; PAYHOOKS_BENCH_LEARN_PAYLOADS sets its size (default 3000, the
// README's figure is 100000). learner-KB is what the learner holds at the
// end, after a collection.
// go test -run '^$' -bench Learn -benchmem ./cmd/payhooks/internal/learn
func BenchmarkLearn(b *testing.B) {
	n := 3000
	if env := os.Getenv("PAYHOOKS_BENCH_LEARN_PAYLOADS"); env != "" {
		var err error
		n, err = strconv.Atoi(env)
		require.NoError(b, err)
	}
	file, size := writeNDJSON(b, "captures.ndjson", n, captures)
	v, err := validate.New(schemas.FS)
	require.NoError(b, err)
	read := func(b *testing.B, each func(validate.Payload)) {
		require.NoError(b, input.Read([]string{file}, nil, func(p validate.Payload) error {
			each(p)
			return nil
		}))
	}
	b.Run("validate", func(b *testing.B) {
		b.SetBytes(size)
		for range b.N {
			read(b, func(p validate.Payload) { v.Check(p) })
		}
	})
	b.Run("learn", func(b *testing.B) {
		b.SetBytes(size)
		var held uint64
		for range b.N {
			b.StopTimer() // compiling the schemas is not learning
			before := rounds.LiveHeap()
			l, err := learn.New(schemas.FS, learn.Options{})
			require.NoError(b, err)
			b.StartTimer()
			read(b, func(p validate.Payload) { l.Add(p) })
			_, err = l.Proposals()
			require.NoError(b, err)
			b.StopTimer()
			held = rounds.LiveHeap() - before
			runtime.KeepAlive(l)
			b.StartTimer()
		}
		b.ReportMetric(float64(held)/1024, "learner-KB")
	})
}

// A learner's memory grows with the places that drift, not with the
// payloads: four times the captures leave the heap as it was.
func TestLearnMemoryIsBoundedByPlaces(t *testing.T) {
	l, err := learn.New(schemas.FS, learn.Options{})
	require.NoError(t, err)
	heap := rounds.LiveHeap
	captures(t, 1500, func(p validate.Payload) { l.Add(p) })
	first, err := l.Proposals()
	require.NoError(t, err)
	before := heap()
	captures(t, 4500, func(p validate.Payload) { l.Add(p) })
	after := heap()
	proposals, err := l.Proposals()
	require.NoError(t, err)
	assert.Len(t, proposals, len(first), "the same places")
	assert.Equal(t, 6000, l.Payloads())
	assert.Less(t, int64(after)-int64(before), int64(512<<10), "heap grew by %d bytes over 4500 payloads", int64(after)-int64(before))
	for _, p := range proposals {
		if p.Kind == drift.UnknownEnumValue {
			assert.Len(t, p.Edits, 5, "five values, whatever the count")
		}
	}
}

// uniqueKeys yields n Tazapay payloads, each with an undocumented member of
// data no other payload has: a map's keys (order ids), not fields.
func uniqueKeys(t testing.TB, n int, yield func(validate.Payload)) int64 {
	t.Helper()
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.created.json")
	require.NoError(t, err)
	text := string(body)
	var size int64
	for i := range n {
		b := strings.Replace(text, `"object": "checkout",`, fmt.Sprintf(`"object": "checkout", "order_%d": {"qty": %d},`, i, i), 1)
		size += int64(len(b))
		yield(validate.Payload{Source: "keys.ndjson", Line: i + 1, Body: []byte(b)})
	}
	return size
}

// An object whose undocumented members are keys folds them into one
// proposal, additionalProperties, once past MaxMembers names: the learner
// holds what it did at 1500 payloads after 6000, every key a new one.
func TestLearnFoldsAMapsMembers(t *testing.T) {
	l, err := learn.New(schemas.FS, learn.Options{})
	require.NoError(t, err)
	uniqueKeys(t, 1500, func(p validate.Payload) { l.Add(p) })
	before := rounds.LiveHeap()
	uniqueKeys(t, 4500, func(p validate.Payload) { l.Add(p) })
	after := rounds.LiveHeap()
	assert.Less(t, int64(after)-int64(before), int64(512<<10), "heap grew by %d bytes over 4500 new keys", int64(after)-int64(before))
	proposals, err := l.Proposals()
	require.NoError(t, err)
	require.Len(t, proposals, 1)
	p := proposals[0]
	assert.Equal(t, "/data", p.Pointer)
	assert.True(t, p.Applied)
	assert.Equal(t, 6000, p.Evidence.Payloads)
	assert.Contains(t, p.Change, "declare the other members a map (more than 256 undocumented names: keys, not fields), their schema inferred from 6000 values")
	require.Len(t, p.Edits, 1)
	assert.True(t, strings.HasSuffix(p.Edits[0].Path, "/additionalProperties"), p.Edits[0].Path)

	changed, err := learn.Apply(schemas.FS, proposals)
	require.NoError(t, err)
	after2, err := validate.New(overlay(t, schemas.FS, changed))
	require.NoError(t, err)
	uniqueKeys(t, 10, func(p validate.Payload) {
		assert.Empty(t, after2.Check(p).Findings, "the keys are declared")
	})
}

// BenchmarkLearnKeys learns from N and then 4N payloads that each bring an
// undocumented key no other has (an order id under data), reading one
// generated NDJSON file each, and applies and compiles the result, as
// schemas learn -out does: ns/payload stays flat from N to 4N (time linear
// in the payloads), and learner-KB, what the learner holds at the end, does
// not grow (the keys fold into one map proposal). Before the fold, 100 000
// such payloads held 348 MB and -out compiled one property per key in
// quadratic time.
// go test -run '^$' -bench LearnKeys -benchmem ./cmd/payhooks/internal/learn
func BenchmarkLearnKeys(b *testing.B) {
	for _, n := range []int{25_000, 100_000} {
		b.Run(fmt.Sprintf("payloads=%d", n), func(b *testing.B) {
			file, size := writeNDJSON(b, "keys.ndjson", n, uniqueKeys)
			b.SetBytes(size)
			var held uint64
			for range b.N {
				b.StopTimer()
				before := rounds.LiveHeap()
				l, err := learn.New(schemas.FS, learn.Options{})
				require.NoError(b, err)
				b.StartTimer()
				require.NoError(b, input.Read([]string{file}, nil, func(p validate.Payload) error {
					l.Add(p)
					return nil
				}))
				proposals, err := l.Proposals()
				require.NoError(b, err)
				b.StopTimer()
				held = rounds.LiveHeap() - before
				b.StartTimer()
				changed, err := learn.Apply(schemas.FS, proposals)
				require.NoError(b, err)
				_, err = validate.New(overlay(b, schemas.FS, changed))
				require.NoError(b, err)
				runtime.KeepAlive(l)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/payload")
			b.ReportMetric(float64(held)/1024, "learner-KB")
		})
	}
}
