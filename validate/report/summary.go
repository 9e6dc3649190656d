package report

import (
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Summary totals a run: the "summary" object of the JSON report.
type Summary struct {
	Payloads     int                    `json:"payloads"`
	Clean        int                    `json:"clean"`
	WithFindings int                    `json:"with_findings"`
	Unreadable   int                    `json:"unreadable"`
	Findings     map[drift.Severity]int `json:"findings"`
	Kinds        map[drift.Kind]int     `json:"kinds"`
	Baselined    int                    `json:"baselined"`
	FailOn       drift.Severity         `json:"fail_on"`
	Failed       bool                   `json:"failed"`
}

// Tally accumulates results into a Summary.
type Tally struct{ s Summary }

// NewTally starts a summary whose run fails at failOn or worse.
func NewTally(failOn drift.Severity) *Tally {
	return &Tally{s: Summary{
		Findings: map[drift.Severity]int{drift.Breaking: 0, drift.Warning: 0, drift.Info: 0},
		Kinds:    map[drift.Kind]int{},
		FailOn:   failOn,
	}}
}

// Add counts one result; baselined is how many of its findings a baseline
// suppressed.
func (t *Tally) Add(r validate.Result, baselined int) {
	t.s.Baselined += baselined
	if r.Err != nil {
		t.s.Unreadable++
		return
	}
	t.s.Payloads++
	if len(r.Findings) == 0 {
		// Clean means no finding at all: a payload whose findings a
		// baseline accepted is neither clean nor reported with findings.
		if baselined == 0 {
			t.s.Clean++
		}
		return
	}
	t.s.WithFindings++
	for _, f := range r.Findings {
		t.s.Findings[f.Severity]++
		t.s.Kinds[f.Kind]++
		if f.Severity.AtLeast(t.s.FailOn) {
			t.s.Failed = true
		}
	}
}

// Summary returns the totals so far.
func (t *Tally) Summary() Summary { return t.s }
