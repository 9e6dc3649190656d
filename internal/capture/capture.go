// Package capture reads and writes the capture files of payhooks listen:
// one file per accepted delivery, "<provider>-<name>.capture.json" (see
// Name), holding when and how it arrived and its body byte for byte. Writes
// are durable before they return (a temporary file, fsync, a hard link to
// the final name, fsync of the folder), never replace a capture already
// there, and lock their temporary file while they run, so several
// processes can share one folder and a crash never leaves a torn capture
// under a final name.
package capture

import (
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/payhooks/payhooks/webhook/drift"
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
	// What the receiver made of the delivery, in the captures a handler's
	// WithCapture writes (payhooks listen's included); older captures
	// lack them.
	Provider   string          `json:"provider,omitempty"`
	Event      string          `json:"event,omitempty"`
	DeliveryID string          `json:"delivery_id,omitempty"`
	Findings   []drift.Finding `json:"findings,omitempty"`
}

// Redacted replaces the values of secret-bearing headers.
const Redacted = "REDACTED"

// New builds the capture of a request. Headers named in secret (and the
// usual credentials headers) are redacted. The body must be UTF-8, since it
// is stored as a JSON string.
func New(method, path string, header http.Header, body []byte, receivedAt time.Time, secret ...string) (File, error) {
	if !utf8.Valid(body) {
		return File{}, errors.New("the body is not UTF-8 and cannot be stored as a JSON string")
	}
	redact := map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true}
	for _, h := range secret {
		redact[http.CanonicalHeaderKey(h)] = true
	}
	headers := make(map[string][]string, len(header))
	for name, values := range header {
		if redact[http.CanonicalHeaderKey(name)] {
			values = []string{Redacted}
		}
		headers[name] = append([]string(nil), values...)
	}
	return File{
		ReceivedAt: receivedAt.UTC().Format(time.RFC3339Nano),
		Method:     method,
		Path:       path,
		Headers:    headers,
		Body:       string(body),
	}, nil
}

// Name is the file name of a delivery's capture by its id, distinct for distinct
// (provider, id) pairs on every file system, case-insensitive ones included,
// and under 200 bytes whatever the id. A plain id (1 to 100 of a-z, 0-9, "_",
// "-" and, but first, ".", as most providers' ids are) is used as it is:
// "rapyd-wh_123.capture.json". Any other id keeps a readable prefix and gets
// a hash of the exact provider and id bytes after a "~", which no plain name
// holds: "tazapay-evt_a~<32 hex digits>.capture.json".
func Name(provider, deliveryID string) string {
	if plain(provider, 40) && !strings.ContainsAny(provider, "-.") && plain(deliveryID, 100) {
		return provider + "-" + deliveryID + Suffix
	}
	sum := sha256.Sum256([]byte(provider + "\x00" + deliveryID))
	return readable(provider, 40) + "-" + readable(deliveryID, 40) + "~" + hex.EncodeToString(sum[:16]) + Suffix
}

// BodyName is the file name of the capture of a delivery keyed on its body
// rather than on an id of its own (bodyID is webhook.BodyID of the body:
// "sha256-" and 64 hex digits): "finmo~sha256-<64 hex>.capture.json". No
// name Name returns has a "~" that anything but 32 hex digits and the
// suffix follow, so a delivery id can never name the file of a body, and
// distinct (provider, body) pairs get distinct names, as with Name.
func BodyName(provider, bodyID string) string {
	if plain(provider, 40) && !strings.ContainsAny(provider, "-.") && plain(bodyID, 100) {
		return provider + "~" + bodyID + Suffix
	}
	sum := sha256.Sum256([]byte(provider + "\x00" + bodyID))
	return readable(provider, 40) + "~" + readable(bodyID, 40) + "~" + hex.EncodeToString(sum[:16]) + Suffix
}

// plain reports whether s can stand in a file name as it is.
func plain(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' && i > 0) {
			return false
		}
	}
	return true
}

// readable is a lower-case prefix of s for a person to recognise, every
// other byte as "_".
func readable(s string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// ErrExists reports that a capture file of that name is already on disk.
var ErrExists = errors.New("capture already exists")

// Write stores f durably in dir as name. It returns ErrExists, writing
// nothing, when a file of that name is already there (a retry after a
// restart, or a copy another process stored first); it never replaces one.
func Write(dir, name string, f File) error {
	final := filepath.Join(dir, name)
	if _, err := os.Lstat(final); err == nil {
		return ErrExists
	}
	data, err := Encode(f)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err = atomicfile.Create(final, tempPrefix, lockInFlight, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		switch {
		case errors.Is(err, fs.ErrExist):
			return ErrExists
		case attempt < 3 && (errors.Is(err, errTempTaken) || errors.Is(err, fs.ErrNotExist)):
			// Another process's Clean took the temporary file in the
			// instant before it was locked: write it again.
			continue
		}
		return err
	}
}

// errTempTaken says Clean holds a temporary file its writer just created.
var errTempTaken = errors.New("temporary file taken by a cleaner")

// Read reads the capture dir/name.
func Read(dir, name string) (File, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return File{}, err
	}
	return Parse(data)
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

// Clean removes the temporary files that writers which are gone (a crash,
// a kill) left in dir, and returns how many there were. A temporary file
// whose writer is still running, in this process or another, is locked and
// stays.
func Clean(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() {
			continue
		}
		removed, err := removeAbandoned(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		if removed {
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
