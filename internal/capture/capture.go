// Package capture reads and writes the capture files of payhooks listen:
// one file per accepted delivery, "<provider>-<delivery id>.capture.json",
// holding when and how it arrived and its body byte for byte. Writes are
// durable before they return (a temporary file, fsync, rename, fsync of the
// folder), so a crash never leaves a torn capture under the final name.
package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/payhooks/payhooks/internal/atomicfile"
)

// Suffix ends every capture file name.
const Suffix = ".capture.json"

// tempPrefix starts the name of a capture being written; such files are
// never captures, and Clean removes the ones a crash left behind.
const tempPrefix = ".partial-"

// File is the content of a capture file.
type File struct {
	ReceivedAt string              `json:"received_at"`
	Method     string              `json:"method"`
	Path       string              `json:"path"`
	Headers    map[string][]string `json:"headers"`
	// Body is the request body exactly as received.
	Body string `json:"body"`
}

// Redacted replaces the values of secret-bearing headers.
const Redacted = "REDACTED"

// New builds the capture of a request. Headers named in secret (and the
// usual credentials headers) are redacted. The body must be UTF-8, since it
// is stored as a JSON string.
func New(r *http.Request, body []byte, receivedAt time.Time, secret ...string) (File, error) {
	if !utf8.Valid(body) {
		return File{}, errors.New("the body is not UTF-8 and cannot be stored as a JSON string")
	}
	redact := map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true}
	for _, h := range secret {
		redact[http.CanonicalHeaderKey(h)] = true
	}
	headers := make(map[string][]string, len(r.Header))
	for name, values := range r.Header {
		if redact[http.CanonicalHeaderKey(name)] {
			values = []string{Redacted}
		}
		headers[name] = append([]string(nil), values...)
	}
	return File{
		ReceivedAt: receivedAt.UTC().Format(time.RFC3339Nano),
		Method:     r.Method,
		Path:       r.URL.Path,
		Headers:    headers,
		Body:       string(body),
	}, nil
}

// Name is the file name of a delivery's capture. Characters a file name
// should not hold become "_".
func Name(provider, deliveryID string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
				return r
			}
			return '_'
		}, s)
	}
	return clean(provider) + "-" + strings.TrimLeft(clean(deliveryID), ".") + Suffix
}

// ErrExists reports that a capture of the delivery is already on disk.
var ErrExists = errors.New("capture already exists")

// Write stores f durably in dir as name. It returns ErrExists, writing
// nothing, when the file is already there (a retry after a restart).
func Write(dir, name string, f File) error {
	final := filepath.Join(dir, name)
	if _, err := os.Lstat(final); err == nil {
		return ErrExists
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(final, tempPrefix, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// CheckWritable fails when captures cannot be written to dir, so a
// listener fails at start-up rather than at its first delivery.
func CheckWritable(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%q is not a folder", dir)
	}
	probe, err := os.CreateTemp(dir, tempPrefix+"probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in %q: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// Clean removes the temporary files a crash left in dir and returns how
// many there were.
func Clean(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Parse reads a capture file's content. It fails when data is not a
// capture (no path or method), so callers can fall back to reading it as a
// plain payload.
func Parse(data []byte) (File, error) {
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return File{}, err
	}
	if f.Path == "" || f.Method == "" {
		return File{}, errors.New("not a capture: no method or path")
	}
	return f, nil
}
