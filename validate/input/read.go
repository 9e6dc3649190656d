package input

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
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// StdinSource is the Source of payloads read from stdin ("-").
const StdinSource = "<stdin>"

// Skipped is the Err of a file Read met and did not read on purpose: a
// device, socket or pipe a directory walk met (opening a pipe would wait
// for a writer). It is no payload and no failure: a note to print.
type Skipped struct{ Reason string }

func (s *Skipped) Error() string { return s.Reason }

// IsSkipped says whether err is a Skipped file's, and why.
func IsSkipped(err error) (reason string, ok bool) {
	var s *Skipped
	if errors.As(err, &s) {
		return s.Reason, true
	}
	return "", false
}

// Read streams the payloads named by paths to yield, in order: a .json file
// is one payload, .ndjson and .jsonl files one per non-blank line, a
// *.capture.json file the body it captured (with its request path), a
// directory every such file below it in lexical order, and "-" the JSON
// values on stdin (one document, or several one after another). A payload
// that cannot be read is yielded with Err set and reading goes on. Read stops
// early only when yield returns an error.
//
// Only regular files are read, and stdin or a named pipe named on purpose;
// a device, socket or pipe met in a directory walk is yielded with a
// *Skipped Err, unopened (opening a pipe would wait for a writer). No payload is
// read past MaxPayloadBytes: from an endless source (a symlink to
// /dev/zero, say) the over-long payload is the last one read.
func Read(paths []string, stdin io.Reader, yield func(validate.Payload) error) error {
	return ReadWith(paths, stdin, ReadOptions{}, yield)
}

// ReadOptions tunes ReadWith.
type ReadOptions struct {
	// Since and Until (yyyy-mm-dd, both included, "" open) select the
	// objects of s3:// paths by the date in their key.
	Since, Until string
}

// ReadWith is Read that also reads s3://BUCKET/PREFIX paths: the payload
// objects below the prefix, in key order, several fetched at once (see
// package webhook/s3capture), named s3://BUCKET/KEY.
func ReadWith(paths []string, stdin io.Reader, opts ReadOptions, yield func(validate.Payload) error) error {
	return read(paths, stdin, opts, reader{yield: yield, wait: func() error { return nil }})
}

// read is ReadWith through r: r.wait is called before each read that may
// wait for its source (a file opened, a block read), which Run uses to
// hand out the payloads it holds first; an error from wait stops the
// reading, as one from yield does.
func read(paths []string, stdin io.Reader, opts ReadOptions, r reader) error {
	for _, p := range paths {
		var err error
		switch {
		case p == "-":
			err = r.readStream(StdinSource, stdin)
		case s3capture.IsURL(p):
			err = r.readObjects(p, opts)
		default:
			err = r.readPath(p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// reader is one Read: where its payloads go, and what it calls before a
// read that may wait. Under Run, free recycles the blocks NDJSON lines are
// read into and hold is told the block of each line before it is yielded
// (it takes a reference, which Run drops once the line's result is out).
type reader struct {
	yield func(validate.Payload) error
	wait  func() error
	free  blocks
	hold  func(*block)
}

func (r reader) readPath(root string) error {
	info, err := os.Stat(root)
	switch {
	case err != nil:
		return r.yield(validate.Payload{Source: root, Err: err})
	case info.IsDir():
		return r.walkDir(root, info, nil)
	case !info.Mode().IsRegular() && info.Mode()&fs.ModeNamedPipe == 0:
		return r.yield(validate.Payload{Source: root, Err: fmt.Errorf("not a regular file (%s): not read", info.Mode().Type())})
	}
	return r.readFile(root, info)
}

// ancestor is a directory a walk is inside.
type ancestor struct {
	path string
	info fs.FileInfo
}

// walkDir reads a directory tree, following symbolic links but never into a
// directory it is already inside (told apart by os.SameFile, device and
// inode on Unix, however the directory is reached).
func (r reader) walkDir(dir string, info fs.FileInfo, ancestors []ancestor) error {
	for _, a := range ancestors {
		if os.SameFile(a.info, info) {
			return r.yield(validate.Payload{Source: dir, Err: fmt.Errorf("directory loop: %q leads back to %q", dir, a.path)})
		}
	}
	ancestors = append(ancestors, ancestor{path: dir, info: info})
	entries, err := os.ReadDir(dir)
	if err != nil {
		return r.yield(validate.Payload{Source: dir, Err: err})
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		info, err := os.Stat(p) // follows a symbolic link
		switch {
		case err != nil:
			if isPayloadFile(e.Name()) || e.Type()&fs.ModeSymlink == 0 {
				err = r.yield(validate.Payload{Source: p, Err: err})
			} else {
				err = nil // a dangling link to something we would not read
			}
		case info.IsDir():
			err = r.walkDir(p, info, ancestors)
		case !isPayloadFile(e.Name()):
			err = nil
		case !info.Mode().IsRegular():
			err = r.yield(validate.Payload{Source: p, Err: &Skipped{Reason: fmt.Sprintf("not a regular file (%s)", info.Mode().Type())}})
		default:
			err = r.readFile(p, info)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isPayloadFile says which files a directory walk reads.
func isPayloadFile(name string) bool {
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".ndjson") || strings.HasSuffix(name, ".jsonl")
}

// readFile reads a regular file or a named pipe; info is what Stat said of
// it.
func (r reader) readFile(name string, info fs.FileInfo) error {
	if info.Mode().IsRegular() && info.Size() > validate.MaxPayloadBytes && !isLinesFile(name) {
		return r.yield(validate.Payload{Source: name, TooLarge: true})
	}
	f, err := os.Open(name)
	if err != nil {
		return r.yield(validate.Payload{Source: name, Err: err})
	}
	defer f.Close()
	return r.readContent(name, f, info.Size(), info.Mode().IsRegular())
}

// readContent reads what a file or an object named name holds: lines of
// an NDJSON file, or one payload (a capture's body); size is its size when
// known, bounded whether it ends.
func (r reader) readContent(name string, in io.Reader, size int64, bounded bool) error {
	if isLinesFile(name) {
		return r.readLines(name, in, bounded)
	}
	if err := r.wait(); err != nil {
		return err
	}
	body, tooLarge, err := readAllLimited(in, size)
	switch {
	case err != nil:
		return r.yield(validate.Payload{Source: name, Err: err})
	case tooLarge:
		return r.yield(validate.Payload{Source: name, TooLarge: true})
	case strings.HasSuffix(name, capture.Suffix):
		return r.yield(captureOrPayload(name, body))
	}
	return r.yield(validate.Payload{Source: name, Body: body})
}

func isLinesFile(name string) bool {
	return strings.HasSuffix(name, ".ndjson") || strings.HasSuffix(name, ".jsonl")
}

// captureOrPayload unwraps a capture file. A file that does not parse as a
// capture is checked as it is, so the report says what is wrong with it.
func captureOrPayload(name string, data []byte) validate.Payload {
	c, err := capture.Parse(data)
	if err != nil {
		return validate.Payload{Source: name, Body: data}
	}
	return validate.Payload{Source: name, Body: []byte(c.Body), Path: c.Path, BodyLine: validate.LineOf(data, "/body")}
}

// readAllLimited reads r to its end, but never more than MaxPayloadBytes
// (tooLarge then). sizeHint, a regular file's size, sizes the buffer at
// once, so a payload costs its own size in memory, not twice it.
func readAllLimited(r io.Reader, sizeHint int64) (data []byte, tooLarge bool, err error) {
	buf := make([]byte, 0, min(max(sizeHint, 0), validate.MaxPayloadBytes)+1)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > validate.MaxPayloadBytes {
				return nil, true, nil
			}
			buf = grow(buf)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case len(buf) > validate.MaxPayloadBytes:
			return nil, true, nil
		case errors.Is(err, io.EOF):
			return buf, false, nil
		case err != nil:
			return nil, false, err
		}
	}
}

// grow doubles a payload buffer's room, up to one byte past
// MaxPayloadBytes (enough to tell that a payload is too large).
func grow(buf []byte) []byte {
	next := make([]byte, len(buf), min(max(2*cap(buf), 4096), validate.MaxPayloadBytes+1))
	copy(next, buf)
	return next
}

// readLines yields one payload per non-blank line, numbered from 1. A line
// past MaxPayloadBytes is yielded with TooLarge; from a regular file the
// rest of that line is skipped and reading goes on, from a pipe or stdin,
// which may never end, that input ends there.
func (r reader) readLines(name string, in io.Reader, bounded bool) error {
	lines := lineReader{r: in, wait: r.wait, free: r.free}
	defer func() { r.free.release(lines.cur) }()
	for line := 1; ; line++ {
		data, tooLarge, err := lines.next(bounded)
		if lines.waitErr != nil {
			return lines.waitErr
		}
		if tooLarge {
			if yerr := r.yield(validate.Payload{Source: name, Line: line, TooLarge: true, Unbounded: !bounded}); yerr != nil || !bounded {
				return yerr
			}
		} else if len(bytes.TrimSpace(data)) > 0 {
			if r.hold != nil {
				r.hold(lines.cur)
			}
			if yerr := r.yield(validate.Payload{Source: name, Line: line, Body: data}); yerr != nil {
				return yerr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return r.yield(validate.Payload{Source: name, Line: line, Err: err})
		}
	}
}

// lineBlock is what lineReader reads at a time.
const lineBlock = 256 << 10

// lineReader hands out the lines of r as pieces of the blocks it reads
// them into: one allocation a block, not one a line. A block is never
// written where a line was handed out, so each line stays as it is for as
// long as its payload is checked (and keeps its block alive no longer);
// a line that runs past the end of a block is moved to the start of the
// next.
type lineReader struct {
	r          io.Reader
	wait       func() error // called before each Read
	free       blocks       // where blocks come from and go back to
	cur        *block       // the block read into: block is cur.data
	block      []byte
	start, end int   // block[start:end] is read and not yet handed out
	err        error // what the last Read said
	waitErr    error // what wait said: reading stops
}

// next returns the next line without its newline, in a slice of its own
// (capped: an append copies it). It never holds more than MaxPayloadBytes
// of one line: past that it reports tooLarge and, when skipRest, reads on
// to the end of the line without keeping it; otherwise it stops there.
func (lr *lineReader) next(skipRest bool) (line []byte, tooLarge bool, err error) {
	for {
		if i := bytes.IndexByte(lr.block[lr.start:lr.end], '\n'); i >= 0 {
			line, lr.start = lr.block[lr.start:lr.start+i], lr.start+i+1
			if len(line) > validate.MaxPayloadBytes {
				return nil, true, nil
			}
			line = bytes.TrimRight(line, "\r\n")
			return line[:len(line):len(line)], false, nil
		}
		if lr.err != nil {
			line, lr.start = lr.block[lr.start:lr.end], lr.end
			if len(line) > validate.MaxPayloadBytes {
				return nil, true, lr.err
			}
			line = bytes.TrimRight(line, "\r\n")
			return line[:len(line):len(line)], false, lr.err
		}
		if lr.end-lr.start > validate.MaxPayloadBytes {
			if !skipRest {
				return nil, true, nil
			}
			return nil, true, lr.skipLine()
		}
		if lr.fill(); lr.waitErr != nil {
			return nil, false, lr.waitErr
		}
	}
}

// fill reads more, into a new block when this one is full, which takes the
// unfinished line with it; wait first.
func (lr *lineReader) fill() {
	if lr.waitErr = lr.wait(); lr.waitErr != nil {
		return
	}
	if lr.end == len(lr.block) {
		// A line is never kept past MaxPayloadBytes (next stops there),
		// so neither is a block much larger.
		rest := lr.end - lr.start
		var next *block
		if size := min(max(lineBlock, 2*rest), validate.MaxPayloadBytes+lineBlock); size == lineBlock {
			next = lr.free.get()
		} else {
			next = newBlock(size)
		}
		copy(next.data, lr.block[lr.start:lr.end])
		lr.use(next)
		lr.start, lr.end = 0, rest
	}
	n, err := lr.r.Read(lr.block[lr.end:])
	lr.end += n
	if err != nil {
		lr.err = err
	}
}

// skipLine drops what is read of the line and reads on past its newline,
// into a block of its own that no line has been handed out from. At the
// end of the input it returns the error that ended it.
func (lr *lineReader) skipLine() error {
	scratch := lr.free.get()
	defer lr.free.release(scratch) // unless it is read into, below
	for {
		if i := bytes.IndexByte(lr.block[lr.start:lr.end], '\n'); i >= 0 {
			lr.start += i + 1
			return nil
		}
		if lr.err != nil {
			lr.start = lr.end
			return lr.err
		}
		if lr.cur != scratch {
			scratch.refs.Add(1)
			lr.use(scratch)
		}
		lr.start, lr.end = 0, 0
		if lr.fill(); lr.waitErr != nil {
			return lr.waitErr
		}
	}
}

// use reads into b from now on, dropping the reader's reference to the
// block before.
func (lr *lineReader) use(b *block) {
	lr.free.release(lr.cur)
	lr.cur, lr.block = b, b.data
}

// readLine returns the next line without its newline, in a fresh slice. It
// never holds more than MaxPayloadBytes of one line: past that it reports
// tooLarge and, when skipRest, reads on to the end of the line without
// keeping it; otherwise it stops there.
func readLine(br *bufio.Reader, skipRest bool) (line []byte, tooLarge bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLarge {
			if len(line)+len(chunk) > validate.MaxPayloadBytes+1 { // +1: the newline
				tooLarge, line = true, nil
			} else {
				for cap(line)-len(line) < len(chunk) {
					line = grow(line)
				}
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if tooLarge && !skipRest {
				return nil, true, nil
			}
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLarge, err
	}
}

// readStream reads stdin: NDJSON when its first non-blank line is a JSON
// value on its own, otherwise one document.
func (r reader) readStream(name string, in io.Reader) error {
	if err := r.wait(); err != nil {
		return err
	}
	br := bufio.NewReaderSize(in, 1<<20)
	var head []byte
	skipped := 0
	for {
		line, tooLarge, err := readLine(br, false)
		if tooLarge {
			return r.yield(validate.Payload{Source: name, Line: skipped + 1, TooLarge: true, Unbounded: true})
		}
		if len(bytes.TrimSpace(line)) > 0 || err != nil {
			head = line
			break
		}
		skipped++
	}
	rest := io.MultiReader(bytes.NewReader(append(head, '\n')), br)
	if json.Valid(head) {
		numbered := r
		numbered.yield = func(p validate.Payload) error {
			p.Line += skipped
			return r.yield(p)
		}
		return numbered.readLines(name, rest, false)
	}
	body, tooLarge, err := readAllLimited(rest, 0)
	switch {
	case err != nil:
		return r.yield(validate.Payload{Source: name, Err: err})
	case tooLarge:
		return r.yield(validate.Payload{Source: name, TooLarge: true, Unbounded: true})
	}
	return r.yield(validate.Payload{Source: name, Body: bytes.TrimSpace(body)})
}
