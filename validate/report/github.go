package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
	"github.com/payhooks/payhooks/webhook/drift"
)

// githubReporter writes GitHub Actions workflow commands: one annotation
// per finding, placed on the file and line.
type githubReporter struct{ w io.Writer }

func (g *githubReporter) Result(r validate.Result) error {
	if r.Err != nil {
		_, err := fmt.Fprintf(g.w, "::error file=%s,title=unreadable::%s\n", escapeProperty(r.Source), escapeData(r.Err.Error()))
		return err
	}
	for _, f := range r.Findings {
		level := "notice"
		switch f.Severity {
		case drift.Breaking:
			level = "error"
		case drift.Warning:
			level = "warning"
		}
		// A payload from stdin is in no file: its annotation names none.
		var props string
		if r.Source != input.StdinSource {
			props = "file=" + escapeProperty(r.Source)
			if f.Line > 0 {
				props += fmt.Sprintf(",line=%d", f.Line)
			}
			props += ","
		}
		props += "title=" + escapeProperty(fmt.Sprintf("%s (%s)", f.Kind, subject(r)))
		if _, err := fmt.Fprintf(g.w, "::%s %s::%s\n", level, props, escapeData(pointerOrRoot(f.Pointer)+": "+f.Message)); err != nil {
			return err
		}
	}
	return nil
}

func (g *githubReporter) Close(s Summary) error {
	_, err := fmt.Fprintf(g.w, "::notice title=payhooks validate::%s\n", escapeData(fmt.Sprintf(
		"%s, %d with findings (%s)",
		words.Count(s.Payloads, "payload", "payloads"), s.WithFindings, drift.Tally(s.Findings))))
	return err
}

// escapeData and escapeProperty follow the workflow-command escaping of
// @actions/core, after every other control character (ESC among them),
// which GitHub passes to the log as it is, has been escaped.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string { return dataEscaper.Replace(safetext.Escape(s)) }

func escapeProperty(s string) string { return propertyEscaper.Replace(safetext.Escape(s)) }
