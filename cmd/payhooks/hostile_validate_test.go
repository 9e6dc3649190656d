package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/posix"
)

// measureEnv makes the test binary, started afresh, run the command in
// its arguments and write that child's peak resident memory to the file the
// variable names. The indirection matters: a child started by a test
// process that once held hundreds of MiB inherits that high-water mark in
// its rusage; one started by a fresh small process does not.
const measureEnv = "PAYHOOKS_TEST_MEASURE_RSS"

func measureChild() int {
	sep := slices.Index(os.Args, "--")
	cmd := exec.Command(os.Args[sep+1], os.Args[sep+2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		return 125
	}
	peak, _ := posix.PeakRSS(cmd.ProcessState)
	if err := os.WriteFile(os.Getenv(measureEnv), []byte(strconv.FormatInt(peak, 10)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 125
	}
	return cmd.ProcessState.ExitCode()
}

// payhooksMeasured runs the binary with stdin from a file, within a time
// limit, and returns stdout, stderr, the exit status and its peak resident
// memory in bytes.
func payhooksMeasured(t *testing.T, stdin *os.File, args ...string) (string, string, int, int64) {
	t.Helper()
	peakFile := filepath.Join(t.TempDir(), "peak")
	cmd := exec.Command(os.Args[0], append([]string{"--", binary}, args...)...)
	cmd.Env = append(os.Environ(), measureEnv+"="+peakFile)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("payhooks %v did not finish", args)
	}
	data, err := os.ReadFile(peakFile)
	require.NoError(t, err, errOut.String())
	peak, err := strconv.ParseInt(string(data), 10, 64)
	require.NoError(t, err)
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode(), peak
}

// writeRepeated writes head, then unit count times, then tail, without
// holding the whole file in memory.
func writeRepeated(t *testing.T, name, head, unit string, count int, tail string) {
	t.Helper()
	f, err := os.Create(name)
	require.NoError(t, err)
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head)
	for i := 0; i < count; i++ {
		w.WriteString(unit)
	}
	w.WriteString(tail)
	require.NoError(t, w.Flush())
}

// Endless and special files: each is refused, skipped or cut off at the
// payload cap, and the other inputs are still checked.
func TestValidateEndlessAndSpecialFiles(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("needs /dev/zero")
	}
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json"))

	t.Run("a symlink to /dev/zero named explicitly", func(t *testing.T) {
		zero := filepath.Join(t.TempDir(), "zero.json")
		require.NoError(t, os.Symlink("/dev/zero", zero))
		out, stderr, code, _ := payhooksMeasured(t, nil, "validate", "-v", zero, good)
		assert.Equal(t, 2, code, "an input that cannot be read: exit 2")
		assert.Contains(t, stderr, "not a regular file")
		assert.Contains(t, out, "ok  "+good)
	})
	t.Run("/dev/zero on stdin", func(t *testing.T) {
		zero, err := os.Open("/dev/zero")
		require.NoError(t, err)
		defer zero.Close()
		out, stderr, code, peak := payhooksMeasured(t, zero, "validate", "-format", "json", "-", good)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, out, `"source":"<stdin>","line":1,"provider":"","event":"","findings":[{"pointer":"","kind":"invalid_json","severity":"breaking","message":"the payload is larger than 64 MiB and was not read; nothing after it in this input was read either"`)
		assert.Contains(t, out, `"source":"`+good+`","provider":"rapyd","event":"PAYMENT_COMPLETED","findings":[]`)
		t.Logf("peak resident memory: %d MiB", peak>>20)
		assert.Less(t, peak, int64(256<<20))
	})
	t.Run("a directory walk skips devices and pipes, and every loop", func(t *testing.T) {
		tree := t.TempDir()
		writeFile(t, tree, "a/good.json", readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json"))
		require.NoError(t, os.Symlink("/dev/zero", filepath.Join(tree, "a", "zero.json")))
		require.NoError(t, posix.Mkfifo(t, filepath.Join(tree, "a", "pipe.json")))
		abs, err := filepath.Abs(tree)
		require.NoError(t, err)
		require.NoError(t, os.Symlink(abs, filepath.Join(tree, "a", "back-to-start"))) // absolute
		require.NoError(t, os.Symlink("..", filepath.Join(tree, "a", "up")))           // relative
		out, stderr, code, _ := payhooksMeasured(t, nil, "validate", "-format", "json", tree)
		assert.Equal(t, 2, code, "a loop is an unreadable input: %s", stderr)
		assert.Contains(t, stderr, `skipped "`+filepath.Join(tree, "a", "zero.json")+`": not a regular file`)
		assert.Contains(t, stderr, `skipped "`+filepath.Join(tree, "a", "pipe.json")+`": not a regular file`)
		assert.Contains(t, stderr, "directory loop")
		assert.Equal(t, 1, strings.Count(out, "good.json"), "each file read once: %s", out)
	})
	t.Run("a pipe named on purpose is read", func(t *testing.T) {
		pipe := filepath.Join(t.TempDir(), "in.json")
		require.NoError(t, posix.Mkfifo(t, pipe))
		go func() {
			f, err := os.OpenFile(pipe, os.O_WRONLY, 0)
			if err == nil {
				f.WriteString(readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json"))
				f.Close()
			}
		}()
		out, stderr, code, _ := payhooksMeasured(t, nil, "validate", "-v", pipe)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, out, "ok  "+pipe+"  rapyd PAYMENT_COMPLETED")
	})
	t.Run("an NDJSON line past the cap, then the next line", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "big.ndjson")
		line := compact(t, readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json"))
		require.NoError(t, os.WriteFile(f, []byte(`"`+strings.Repeat("x", 65<<20)+"\"\n"+line+"\n"), 0o644))
		out, stderr, code, _ := payhooksMeasured(t, nil, "validate", "-format", "json", f)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, out, `"line":1,"provider":"","event":"","findings":[{"pointer":"","kind":"invalid_json"`)
		assert.Contains(t, out, `"line":2,"provider":"rapyd","event":"PAYMENT_COMPLETED","findings":[]`)
	})
}

// A property name that is a GitHub workflow command and a terminal escape
// reaches no report as a line of its own or as a raw escape.
func TestValidateEscapesPayloadText(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json")), &doc))
	evil := "x\n::error file=pwned.go,line=1::INJECTED\u001b[31m"
	doc[evil] = "\u202e\n::warning::" + evil
	doc["type"] = "PAYMENT_" + evil // an unknown event, named in messages
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	p := writeFile(t, t.TempDir(), "evil\n::error::name.json", string(data))
	for _, format := range []string{"text", "github"} {
		out, stderr, code, _ := payhooksMeasured(t, nil, "validate", "-fail-on", "info", "-format", format, p)
		assert.Equal(t, 1, code, stderr)
		assert.NotContains(t, out, "\x1b", format)
		assert.NotContains(t, out, "\u202e", format)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		// text: the payload line, 2 findings, the summary; github: 2
		// annotations and the summary notice.
		assert.Len(t, lines, map[string]int{"text": 4, "github": 3}[format], out)
		for _, line := range lines {
			if format == "github" {
				assert.Regexp(t, `^::(error|warning|notice) `, line)
				assert.NotContains(t, strings.SplitN(line, "::", 3)[1], "::", "one command per line")
			} else {
				assert.False(t, strings.HasPrefix(line, "::"), "%q", line)
			}
		}
		assert.Contains(t, out, `INJECTED`, "the text is still there, escaped")
	}
}

// Giant values: memory stays bounded by the payload cap whatever the
// payload holds.
func TestValidateMemoryOnGiantValues(t *testing.T) {
	dir := t.TempDir()
	example := compact(t, readExample(t, "tazapay/examples/checkout.paid.json"))
	// 15 million strings where strings are declared, then one object: a
	// mismatch the fast engine hands over, too large for the reference.
	at := strings.Index(example, `"payment_methods":[`) + len(`"payment_methods":[`)
	require.Greater(t, at, 100)
	array := filepath.Join(dir, "array.json")
	writeRepeated(t, array, example[:at], `"a",`, 15_000_000, `{},`+example[at:])
	out, stderr, code, peak := payhooksMeasured(t, nil, "validate", array)
	t.Logf("57 MiB array with one mismatch: peak resident memory %d MiB", peak>>20)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, out, "payload_too_large      /data/payment_methods/15000000: a payload of")
	assert.Less(t, peak, int64(256<<20))
	// A scalar mismatch there the fast engine words itself, whatever the size.
	writeRepeated(t, array, example[:at], `"a",`, 15_000_000, `1,`+example[at:])
	out, stderr, code, peak = payhooksMeasured(t, nil, "validate", array)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, out, "type_mismatch          /data/payment_methods/15000000: expected string, got number 1")
	assert.Less(t, peak, int64(256<<20))

	big := filepath.Join(dir, "string.json")
	writeRepeated(t, big, `{"id":"`, strings.Repeat("x", 1<<20), 200, `"}`)
	out, _, code, peak = payhooksMeasured(t, nil, "validate", big)
	t.Logf("200 MiB single-line string: peak resident memory %d MiB", peak>>20)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "larger than 64 MiB and was not read")
	assert.Less(t, peak, int64(64<<20), "a file past the cap is not read at all")
	f, err := os.Open(big)
	require.NoError(t, err)
	defer f.Close()
	_, _, code, peak = payhooksMeasured(t, f, "validate", "-")
	t.Logf("the same on stdin: peak resident memory %d MiB", peak>>20)
	assert.Equal(t, 1, code)
	assert.Less(t, peak, int64(256<<20))
}
