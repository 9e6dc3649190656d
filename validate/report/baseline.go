package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// A Baseline is a set of accepted findings. A finding is accepted when its
// provider, event, pointer and kind match an entry, wherever it occurs, so
// new captures of an already-accepted drift stay quiet while drift at a new
// place, of a new kind or in a new event still reports. Array positions
// match as one: the key of /data/ewallets/1/percent is
// /data/ewallets/*/percent (every all-digit token is "*"), so the same
// drift in another item of a list is the same accepted drift.
type Baseline struct {
	accepted map[BaselineEntry]bool
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Provider string     `json:"provider"`
	Event    string     `json:"event"`
	Pointer  string     `json:"pointer"`
	Kind     drift.Kind `json:"kind"`
}

type baselineFile struct {
	Version  int             `json:"version"`
	Comment  string          `json:"comment"`
	Findings []BaselineEntry `json:"findings"`
}

// NewBaseline returns an empty baseline; Add fills it.
func NewBaseline() *Baseline { return &Baseline{accepted: map[BaselineEntry]bool{}} }

// ReadBaseline parses a file written by Baseline.Write.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var f baselineFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse baseline: %w", err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("parse baseline: version %d is not supported (want 1)", f.Version)
	}
	b := NewBaseline()
	for _, e := range f.Findings {
		e.Pointer = baselinePointer(e.Pointer) // files written before array positions matched as one
		b.accepted[e] = true
	}
	return b, nil
}

func entryOf(r validate.Result, f drift.Finding) BaselineEntry {
	return BaselineEntry{Provider: r.Provider, Event: r.Event, Pointer: baselinePointer(f.Pointer), Kind: f.Kind}
}

// baselinePointer is a pointer with every array position (an all-digit
// token) as "*".
func baselinePointer(ptr string) string {
	tokens := strings.Split(ptr, "/")
	for i, t := range tokens {
		if i > 0 && t != "" && strings.Trim(t, "0123456789") == "" {
			tokens[i] = "*"
		}
	}
	return strings.Join(tokens, "/")
}

// Add accepts every finding of r.
func (b *Baseline) Add(r validate.Result) {
	for _, f := range r.Findings {
		b.accepted[entryOf(r, f)] = true
	}
}

// Accept accepts every finding of r, as payhooks validate -write-baseline
// does: it returns r with them moved from Findings to Baselined (reported
// as suppressed, not as drift), and how many it moved.
func (b *Baseline) Accept(r validate.Result) (validate.Result, int) {
	b.Add(r)
	n := len(r.Findings)
	r.Baselined, r.Findings = append(r.Baselined, r.Findings...), nil
	return r, n
}

// Filter returns r with its accepted findings moved from Findings to
// Baselined, and how many it moved.
func (b *Baseline) Filter(r validate.Result) (validate.Result, int) {
	if b == nil || len(r.Findings) == 0 {
		return r, 0
	}
	kept := make([]drift.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if b.accepted[entryOf(r, f)] {
			r.Baselined = append(r.Baselined, f)
		} else {
			kept = append(kept, f)
		}
	}
	r.Findings = kept
	return r, len(r.Baselined)
}

// Write stores the baseline as sorted, indented JSON, so it diffs well in
// review.
func (b *Baseline) Write(w io.Writer) error {
	f := baselineFile{Version: 1, Comment: "accepted drift: payhooks validate -baseline FILE suppresses these findings", Findings: []BaselineEntry{}}
	for e := range b.accepted {
		f.Findings = append(f.Findings, e)
	}
	slices.SortFunc(f.Findings, func(a, c BaselineEntry) int {
		return cmp.Or(strings.Compare(a.Provider, c.Provider), strings.Compare(a.Event, c.Event), strings.Compare(a.Pointer, c.Pointer), cmp.Compare(a.Kind, c.Kind))
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}
