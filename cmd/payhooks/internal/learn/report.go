package learn

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/internal/tooling/words"
)

// ReportSchema is the JSON Schema of the -format json document.
//
//go:embed report.schema.json
var ReportSchema []byte

// Report is the -format json document.
type Report struct {
	Payloads int `json:"payloads"`
	// Unlearnable counts payloads that are not JSON or too large, which no
	// schema edit answers; FirstUnlearnable names the first.
	Unlearnable      int        `json:"unlearnable"`
	FirstUnlearnable *Source    `json:"first_unlearnable,omitempty"`
	MinCount         int        `json:"min_count"`
	Relax            bool       `json:"relax"`
	Proposals        []Proposal `json:"proposals"`
	Summary          Summary    `json:"summary"`
	// Written says the applied proposals were written (schemas learn
	// -out); without it the text says what would be applied.
	Written bool `json:"-"`
}

// Summary counts the proposals by outcome.
type Summary struct {
	Proposals     int `json:"proposals"`
	Applied       int `json:"applied"`
	BelowMinCount int `json:"below_min_count"`
	Review        int `json:"review"`
}

// NewReport gathers the proposals of a run.
func NewReport(l *Learner, proposals []Proposal) Report {
	r := Report{Payloads: l.payloads, Unlearnable: l.unlearnable, MinCount: l.opts.MinCount, Relax: l.opts.Relax, Proposals: proposals}
	if l.unlearnable > 0 {
		r.FirstUnlearnable = &l.firstUnlearnable
	}
	if r.Proposals == nil {
		r.Proposals = []Proposal{}
	}
	for _, p := range proposals {
		r.Summary.Proposals++
		switch {
		case p.Applied:
			r.Summary.Applied++
		case p.Review != "":
			r.Summary.Review++
		default:
			r.Summary.BelowMinCount++
		}
	}
	return r
}

// WriteJSON writes the report as one JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WritePatch writes one RFC 6902 JSON Patch per schema file, of the
// applied proposals, as an object keyed by the file's path.
func (r Report) WritePatch(w io.Writer) error {
	var edits []Edit
	for _, p := range r.Proposals {
		if p.Applied {
			edits = append(edits, p.Edits...)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(Patches(edits))
}

// WriteText writes the review a person reads in a pull request. Event
// names, places and examples come from payloads: each line goes out
// escaped (package safetext), so none starts a line of its own or drives
// the terminal.
func (r Report) WriteText(w io.Writer) error {
	var err error
	line := func(format string, a ...any) {
		if err == nil {
			_, err = fmt.Fprintln(w, safetext.Escape(fmt.Sprintf(format, a...)))
		}
	}
	s := r.Summary
	applied := fmt.Sprintf("%d would apply (with -out)", s.Applied)
	if r.Written {
		applied = fmt.Sprintf("%d applied", s.Applied)
	}
	line("%s, %s: %s, %d below -min-count %d, %d for review by hand",
		words.Count(r.Payloads, "payload", "payloads"), words.Count(s.Proposals, "proposal", "proposals"), applied, s.BelowMinCount, r.MinCount, s.Review)
	if r.FirstUnlearnable != nil {
		line("%s not learned from (not JSON, or too large), first %s", words.Count(r.Unlearnable, "payload", "payloads"), r.FirstUnlearnable)
	}
	for _, p := range r.Proposals {
		status := "apply"
		switch {
		case p.Review != "":
			status = "review"
		case !p.Applied:
			status = "below -min-count"
		}
		line("")
		line("[%s] %s %s %s  %s", status, p.Provider, strings.Join(p.Events, ", "), orRoot(p.Pointer), p.Kind)
		line("  %s", p.Change)
		if p.Review != "" {
			line("  why: %s", p.Review)
		}
		for _, e := range p.Edits {
			value := ""
			if e.Value != nil && e.Path != "" {
				v, err := json.Marshal(e.Value)
				if err != nil {
					return err
				}
				value = " " + string(v)
			}
			line("  %s: %s %s%s", e.File, e.Op, orRoot(e.Path), value)
		}
		if p.Severity != "" {
			line("  consumers: %s (%s); Go: %s", p.Severity, p.Consumers, p.Go)
		}
		ev := p.Evidence
		example := ""
		if ev.Example != nil {
			example = ", e.g. " + string(ev.Example)
		}
		line("  evidence: %d of %s, first %s, last %s%s", ev.Payloads, words.Count(ev.Of, "payload", "payloads"), ev.First, ev.Last, example)
	}
	return err
}

func orRoot(ptr string) string {
	if ptr == "" {
		return "(whole document)"
	}
	return ptr
}
