package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

type textReporter struct {
	w    io.Writer
	opts Options
}

const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func (t *textReporter) paint(color, s string) string {
	if !t.opts.Color {
		return s
	}
	return color + s + ansiReset
}

func severityColor(s drift.Severity) string {
	switch s {
	case drift.Breaking:
		return ansiRed
	case drift.Warning:
		return ansiYellow
	}
	return ansiCyan
}

func (t *textReporter) Result(r validate.Result) error {
	if r.Err != nil {
		_, err := fmt.Fprintf(t.w, "%s  %s\n", t.paint(ansiBold, safetext.Escape(r.Source)), t.paint(ansiRed, "cannot read: "+safetext.Escape(r.Err.Error())))
		return err
	}
	if len(r.Findings) == 0 {
		if !t.opts.Verbose {
			return nil
		}
		_, err := fmt.Fprintf(t.w, "%s  %s  %s\n", t.paint(ansiGreen, "ok"), safetext.Escape(position(r.Source, r.Line)), safetext.Escape(subject(r)))
		return err
	}
	var b strings.Builder
	// Sources, pointers and messages carry payload text: escaped, so no
	// payload can print a line of its own or drive the terminal.
	fmt.Fprintf(&b, "%s  %s\n", t.paint(ansiBold, safetext.Escape(position(r.Source, r.Line))), safetext.Escape(subject(r)))
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s  %-22s %s: %s\n", t.paint(severityColor(f.Severity), fmt.Sprintf("%-8s", f.Severity)), f.Kind,
			safetext.Escape(pointerOrRoot(f.Pointer)), safetext.Escape(f.Message))
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textReporter) Close(s Summary) error {
	verdict := t.paint(ansiGreen, "ok")
	switch {
	case s.Failed:
		verdict = t.paint(ansiRed, "FAIL")
	case s.Unreadable > 0:
		// Not ok: what could not be read was not checked (exit status 2).
		verdict = t.paint(ansiYellow, "incomplete")
	}
	line := fmt.Sprintf("%s: %d clean, %d with findings (%s)",
		words.Count(s.Payloads, "payload", "payloads"), s.Clean, s.WithFindings, drift.Tally(s.Findings))
	if s.Unreadable > 0 {
		line += fmt.Sprintf(", %d unreadable", s.Unreadable)
	}
	if s.Baselined > 0 {
		line += fmt.Sprintf(", %d baselined", s.Baselined)
	}
	_, err := fmt.Fprintf(t.w, "%s; fail-on %s: %s\n", line, s.FailOn, verdict)
	return err
}
