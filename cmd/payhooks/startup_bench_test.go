package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/rounds"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

// BenchmarkStartup runs the built binary as a user does, a whole process
// each time (as hyperfine would): payhooks version (the floor: a Go
// process that does nothing), validate of one small payload, send of one
// delivery to a local server, and listen until it says it is serving
// (one provider's secret set). Each op is one round running each command
// once, in an order that turns each round; reported are the medians of
// wall milliseconds (NAME-ms) and of the process's own CPU milliseconds
// (NAME-cpu-ms).
//
//	go test -run '^$' -bench Startup -benchtime 30x -count 3 ./cmd/payhooks
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	payload := filepath.Join("..", "..", "schemas", "finmo", "examples", "CHECKOUT_COMPLETED.json")
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer receiver.Close()
	env := append(os.Environ(), "PAYHOOKS_FINMO_TOKEN=startup-token")
	commands := []struct {
		name string
		run  func() (wall, cpu time.Duration, err error)
	}{
		{"version", func() (time.Duration, time.Duration, error) { return timeProcess(env, "version") }},
		{"validate", func() (time.Duration, time.Duration, error) { return timeProcess(env, "validate", payload) }},
		{"send", func() (time.Duration, time.Duration, error) {
			return timeProcess(env, "send", "-q", "-provider", "finmo", "-event", "CHECKOUT_COMPLETED", receiver.URL+"/finmo")
		}},
		{"listen", func() (time.Duration, time.Duration, error) {
			return timeListenReady(env, "listen", "-addr", "127.0.0.1:0", "-dir", filepath.Join(dir, "captures"), "-provider", "finmo")
		}},
	}
	b.ResetTimer()
	wall, cpu := rounds.Interleave(b.N, len(commands), func(i int) (float64, float64) {
		w, c, err := commands[i].run()
		if err != nil {
			b.Fatalf("%s: %v", commands[i].name, err)
		}
		return float64(w) / 1e6, float64(c) / 1e6
	})
	b.StopTimer()
	for i, c := range commands {
		b.ReportMetric(rounds.Median(wall[i]), c.name+"-ms")
		b.ReportMetric(rounds.Median(cpu[i]), c.name+"-cpu-ms")
	}
	b.ReportMetric(0, "ns/op")
}

// timeProcess runs the binary to its end: wall time, and the CPU time the
// process used (user and system, every thread).
func timeProcess(env []string, args ...string) (wall, cpu time.Duration, err error) {
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// timeListenReady starts listen and times it until it says it is serving;
// then it is interrupted and waited for.
func timeListenReady(env []string, args ...string) (wall, cpu time.Duration, err error) {
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	lines := bufio.NewScanner(stderr)
	ready := false
	var said strings.Builder
	for !ready && lines.Scan() {
		said.WriteString(lines.Text() + "\n")
		ready = strings.Contains(lines.Text(), "payhooks listen: on http://")
	}
	wall = time.Since(start)
	// The CPU time to this point: the process's own, read before it is told
	// to stop.
	cpu = processCPU(cmd.Process.Pid)
	cmd.Process.Signal(os.Interrupt)
	go io.Copy(io.Discard, stderr)
	waitErr := cmd.Wait()
	if !ready {
		return 0, 0, fmt.Errorf("listen did not start (%v): %s", waitErr, said.String())
	}
	return wall, cpu, nil
}

// processCPU reads a running process's user and system time from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 10 ms).
func processCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// BenchmarkValidateStream validates an NDJSON file of the bundled
// examples, each compacted to one line and repeated to
// PAYHOOKS_BENCH_STREAM_MB (default 16) MB, end to end as a whole process
// (payhooks validate -format json FILE, the report written), beside
// json.Unmarshal into any of every line and the fast engine's Check of
// every line, both in this process on the same bytes. Each op is one
// round of the three; reported are MB/s medians, by wall time and by CPU
// time, and the process's speed over each of the others (x-unmarshal,
// x-engine). ms-per-payload-… split the process's time per payload.
//
//	go test -run '^$' -bench ValidateStream -benchtime 5x -count 3 ./cmd/payhooks
func BenchmarkValidateStream(b *testing.B) {
	mb := 16
	if s := os.Getenv("PAYHOOKS_BENCH_STREAM_MB"); s != "" {
		var err error
		mb, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	lines := bundledLines(b)
	var file bytes.Buffer
	for file.Len() < mb<<20 {
		for _, l := range lines {
			file.Write(l)
			file.WriteByte('\n')
		}
	}
	// The in-process contenders read the lines of the file itself, as
	// many megabytes as the process reads, not the few examples again and
	// again from the processor's cache.
	payloads := bytes.Split(bytes.TrimSuffix(file.Bytes(), []byte("\n")), []byte("\n"))
	path := filepath.Join(b.TempDir(), "stream.ndjson")
	require.NoError(b, os.WriteFile(path, file.Bytes(), 0o644))
	v, err := validate.New(schemas.FS)
	require.NoError(b, err)
	size := float64(file.Len())
	contenders := []struct {
		name string
		run  func() (wall, cpu time.Duration, err error)
	}{
		{"process", func() (time.Duration, time.Duration, error) {
			return timeProcess(os.Environ(), "validate", "-format", "json", path)
		}},
		{"unmarshal", func() (time.Duration, time.Duration, error) {
			return timeInProcess(func() error {
				for _, p := range payloads {
					var doc any
					if err := json.Unmarshal(p, &doc); err != nil {
						return err
					}
				}
				return nil
			})
		}},
		{"engine", func() (time.Duration, time.Duration, error) {
			return timeInProcess(func() error {
				for _, p := range payloads {
					if r := v.Check(validate.Payload{Body: p}); r.Err != nil {
						return r.Err
					}
				}
				return nil
			})
		}},
	}
	b.ResetTimer()
	wall, cpu := rounds.Interleave(b.N, len(contenders), func(i int) (float64, float64) {
		w, c, err := contenders[i].run()
		if err != nil {
			b.Fatalf("%s: %v", contenders[i].name, err)
		}
		return w.Seconds(), c.Seconds()
	})
	b.StopTimer()
	for i, c := range contenders {
		b.ReportMetric(size/rounds.Median(wall[i])/1e6, c.name+"-MB/s")
		b.ReportMetric(size/rounds.Median(cpu[i])/1e6, c.name+"-cpu-MB/s")
		if i > 0 {
			b.ReportMetric(rounds.MedianRatio(wall[i], wall[0]), "x-"+c.name)
			b.ReportMetric(rounds.MedianRatio(cpu[i], cpu[0]), "cpu-x-"+c.name)
		}
	}
	n := float64(len(payloads))
	b.ReportMetric(rounds.Median(wall[0])/n*1e6, "µs/payload-process")
	b.ReportMetric(rounds.Median(wall[2])/n*1e6, "µs/payload-engine")
	b.ReportMetric(rounds.Median(wall[1])/n*1e6, "µs/payload-unmarshal")
	b.ReportMetric(0, "ns/op")
}

// bundledLines are the bundled examples, each compacted to one line.
func bundledLines(b *testing.B) [][]byte {
	b.Helper()
	files, err := fs.Glob(schemas.FS, "*/examples/*.json")
	require.NoError(b, err)
	var lines [][]byte
	for _, f := range files {
		data, err := fs.ReadFile(schemas.FS, f)
		require.NoError(b, err)
		var line bytes.Buffer
		require.NoError(b, json.Compact(&line, data))
		lines = append(lines, line.Bytes())
	}
	return lines
}

// timeInProcess runs fn and returns its wall time and this process's CPU
// time over it.
func timeInProcess(fn func() error) (wall, cpu time.Duration, err error) {
	c0 := rounds.CPUTime()
	start := time.Now()
	err = fn()
	return time.Since(start), rounds.CPUTime() - c0, err
}
