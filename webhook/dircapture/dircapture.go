// Package dircapture is the folder webhook.CaptureSink, the durable writer
// payhooks listen uses: one file per delivery in one folder, named
// <provider>-<delivery id>.capture.json (a hash for ids that are not plain
// names), written to a temporary file, synced and linked to its name, so
// that a crash never leaves a torn capture and a capture already there is
// never replaced. Several processes may share the folder.
package dircapture

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/webhook"
)

// Sink writes captures into a folder.
type Sink struct{ dir string }

// Open creates dir when missing and checks that captures can be written
// there, so a receiver fails at start-up rather than at its first
// delivery.
func Open(dir string) (*Sink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := capture.CheckWritable(dir); err != nil {
		return nil, err
	}
	return &Sink{dir: dir}, nil
}

// Dir is the folder the sink writes to.
func (s *Sink) Dir() string { return s.dir }

// Clean removes the temporary files that writers which are gone (a crash,
// a kill) left in the folder, and says how many there were.
func (s *Sink) Clean() (int, error) { return capture.Clean(s.dir) }

// Put implements webhook.CaptureSink. A file already under the capture's
// name is kept; when it holds this delivery the error wraps
// webhook.ErrCaptureExists, and when it holds anything else (a torn or
// foreign file) Put fails, so the delivery is not acknowledged as
// captured.
func (s *Sink) Put(_ context.Context, c *webhook.Capture) error {
	name, f := capture.Of(c)
	err := capture.Write(s.dir, name, f)
	if !errors.Is(err, capture.ErrExists) {
		return err
	}
	old, rerr := capture.Read(s.dir, name)
	if rerr != nil || !capture.Recorded(old, name) {
		return fmt.Errorf("%s holds another delivery", filepath.Join(s.dir, name))
	}
	return fmt.Errorf("%s: %w", filepath.Join(s.dir, name), webhook.ErrCaptureExists)
}
