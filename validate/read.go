package validate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/payhooks/payhooks/internal/capture"
)

// MaxPayloadBytes is the largest single payload Read hands on; a bigger one
// is reported as an error instead of being read into memory.
const MaxPayloadBytes = 256 << 20

// Read streams the payloads named by paths to yield, in order: a .json file
// is one payload, .ndjson and .jsonl files one per non-blank line, a
// *.capture.json file the body it captured (with its request path), a
// directory every such file below it in lexical order, and "-" the JSON
// values on stdin (one document, or several one after another). A payload
// that cannot be read is yielded with Err set and reading goes on. Read stops
// early only when yield returns an error.
func Read(paths []string, stdin io.Reader, yield func(Payload) error) error {
	for _, p := range paths {
		var err error
		if p == "-" {
			err = readStream("-", stdin, yield)
		} else {
			err = readPath(p, yield)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func readPath(root string, yield func(Payload) error) error {
	info, err := os.Stat(root)
	if err != nil {
		return yield(Payload{Source: root, Err: err})
	}
	if !info.IsDir() {
		return readFile(root, yield)
	}
	return walkDir(root, map[string]bool{}, yield)
}

// walkDir reads a directory tree, following symbolic links to directories
// but never into a directory it is already inside.
func walkDir(dir string, ancestors map[string]bool, yield func(Payload) error) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return yield(Payload{Source: dir, Err: err})
	}
	if ancestors[real] {
		return yield(Payload{Source: dir, Err: fmt.Errorf("directory loop: %q leads back to %q", dir, real)})
	}
	ancestors[real] = true
	defer delete(ancestors, real)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return yield(Payload{Source: dir, Err: err})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if info, err := os.Stat(p); err == nil {
				isDir = info.IsDir()
			}
		}
		switch {
		case isDir:
			err = walkDir(p, ancestors, yield)
		case isPayloadFile(e.Name()):
			err = readFile(p, yield)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isPayloadFile says which files a directory walk reads. The .expect.json
// files beside payhooks' own drift samples are notes, not payloads.
func isPayloadFile(name string) bool {
	switch {
	case strings.HasSuffix(name, ".expect.json"):
		return false
	case strings.HasSuffix(name, ".json"), strings.HasSuffix(name, ".ndjson"), strings.HasSuffix(name, ".jsonl"):
		return true
	}
	return false
}

func readFile(name string, yield func(Payload) error) error {
	f, err := os.Open(name)
	if err != nil {
		return yield(Payload{Source: name, Err: err})
	}
	defer f.Close()
	switch {
	case strings.HasSuffix(name, ".ndjson"), strings.HasSuffix(name, ".jsonl"):
		return readLines(name, f, yield)
	case strings.HasSuffix(name, capture.Suffix):
		body, err := readAllLimited(f)
		if err != nil {
			return yield(Payload{Source: name, Err: err})
		}
		return yield(captureOrPayload(name, body))
	default:
		body, err := readAllLimited(f)
		if err != nil {
			return yield(Payload{Source: name, Err: err})
		}
		return yield(Payload{Source: name, Body: body})
	}
}

// captureOrPayload unwraps a capture file. A file that does not parse as a
// capture is checked as it is, so the report says what is wrong with it.
func captureOrPayload(name string, data []byte) Payload {
	c, err := capture.Parse(data)
	if err != nil {
		return Payload{Source: name, Body: data}
	}
	return Payload{Source: name, Body: []byte(c.Body), Path: c.Path}
}

func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPayloadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPayloadBytes {
		return nil, fmt.Errorf("payload larger than %d MiB", MaxPayloadBytes>>20)
	}
	return data, nil
}

// readLines yields one payload per non-blank line, numbered from 1.
func readLines(name string, r io.Reader, yield func(Payload) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		data, err := readLine(br)
		if len(bytes.TrimSpace(data)) > 0 {
			p := Payload{Source: name, Line: line, Body: data}
			if len(data) > MaxPayloadBytes {
				p = Payload{Source: name, Line: line, Err: fmt.Errorf("line %d: payload larger than %d MiB", line, MaxPayloadBytes>>20)}
			}
			if yerr := yield(p); yerr != nil {
				return yerr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return yield(Payload{Source: name, Line: line, Err: err})
		}
	}
}

// readLine returns the next line without its newline, in a fresh slice, and
// stops copying past MaxPayloadBytes so one endless line cannot exhaust
// memory.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line) <= MaxPayloadBytes {
			line = append(line, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// readStream reads stdin: NDJSON when its first non-blank line is a JSON
// value on its own, otherwise one document.
func readStream(name string, r io.Reader, yield func(Payload) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	var head []byte
	skipped := 0
	for {
		line, err := readLine(br)
		if len(bytes.TrimSpace(line)) > 0 || err != nil {
			head = line
			break
		}
		skipped++
	}
	rest := io.MultiReader(bytes.NewReader(append(head, '\n')), br)
	if json.Valid(head) {
		return readLines(name, rest, func(p Payload) error {
			p.Line += skipped
			return yield(p)
		})
	}
	body, err := readAllLimited(rest)
	if err != nil {
		return yield(Payload{Source: name, Err: err})
	}
	return yield(Payload{Source: name, Body: bytes.TrimSpace(body)})
}
