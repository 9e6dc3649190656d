package report

import (
	"fmt"
	"io"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Formats lists the report formats, the default first.
var Formats = []string{"text", "json", "junit", "github", "sarif"}

// Reporter writes a run's results as they arrive and closes with the
// summary. Text, json and github stream; junit and sarif hold the results
// with findings until Close, since their headers carry totals.
type Reporter interface {
	Result(validate.Result) error
	Close(Summary) error
}

// Options tunes a reporter.
type Options struct {
	// Color adds ANSI colour to text output. The CLI sets it only for a
	// terminal without NO_COLOR.
	Color bool
	// Verbose lists clean payloads in text output too.
	Verbose bool
	// Version is payhooks' version, for SARIF's tool.driver.version.
	Version string
	// FailOn is the severity that makes a JUnit test case a failure.
	FailOn drift.Severity
}

// New returns the reporter for format, writing to w.
func New(format string, w io.Writer, opts Options) (Reporter, error) {
	switch format {
	case "text":
		return &textReporter{w: w, opts: opts}, nil
	case "json":
		return &jsonReporter{w: w}, nil
	case "junit":
		return &junitReporter{w: w, failOn: opts.FailOn}, nil
	case "github":
		return &githubReporter{w: w}, nil
	case "sarif":
		return &sarifReporter{w: w, version: opts.Version}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want text, json, junit, github or sarif)", format)
}

// position renders source and line as "file:line" ("file" when unknown).
func position(source string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", source, line)
	}
	return source
}

// subject names what a result is about: "tazapay checkout.paid".
func subject(r validate.Result) string {
	switch {
	case r.Provider == "":
		return "unknown provider"
	case r.Event == "":
		return r.Provider + " (no event)"
	}
	return r.Provider + " " + r.Event
}
