// Command testreport reads the events of go test -json on stdin and prints
// what go test prints without -v (each package's result line, and the
// output of every test that failed), and also each skipped test with its
// reason, which go test shows only with -v: make test pipes through it, so
// that a check skipped for want of a tool says so in the normal output. It
// exits 1 when a test, a package or a build failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

func main() {
	os.Exit(report(os.Stdin, os.Stdout))
}

func report(in io.Reader, out io.Writer) int {
	buffered := map[string][]string{} // package and test → output so far
	failed, skipped := false, 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(out, sc.Text()) // not an event: go test's own words
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output":
			fmt.Fprint(out, e.Output)
		case e.Action == "build-fail":
			failed = true
		case e.Test == "" && e.Action == "output":
			if line := strings.TrimSpace(e.Output); line != "PASS" && line != "FAIL" {
				fmt.Fprint(out, e.Output)
			}
		case e.Test == "" && e.Action == "fail":
			failed = true
		case e.Action == "output":
			buffered[key] = append(buffered[key], e.Output)
		case e.Action == "fail":
			failed = true
			fmt.Fprint(out, strings.Join(buffered[key], ""))
			delete(buffered, key)
		case e.Test == "" && e.Action == "skip":
			// a package without test files: go test has said so above
		case e.Action == "skip":
			skipped++
			var head, reason []string // "--- SKIP: TestX", then why
			for _, line := range buffered[key] {
				switch {
				case strings.HasPrefix(strings.TrimSpace(line), "--- SKIP"):
					head = append(head, line)
				case !strings.HasPrefix(line, "=== "):
					reason = append(reason, line)
				}
			}
			fmt.Fprint(out, strings.Join(append(head, reason...), ""))
			delete(buffered, key)
		case e.Action == "pass":
			delete(buffered, key)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(out, "testreport:", err)
		return 1
	}
	if skipped > 0 {
		fmt.Fprintf(out, "%d skipped (the reasons above)\n", skipped)
	}
	if failed {
		return 1
	}
	return 0
}
