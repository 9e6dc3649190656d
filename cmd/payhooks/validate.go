package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
	"github.com/payhooks/payhooks/validate/report"
	"github.com/payhooks/payhooks/webhook/drift"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks validate", "Usage: payhooks validate [flags] PATH...\n\nChecks webhook payloads against the schemas: files, folders, - (stdin) and s3://BUCKET/PREFIX[/provider[/date]]\n(endpoint and credentials from AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION).\nExit status 0 clean, 1 drift at or above -fail-on, 2 could not run.\n\n", stdout, stderr)
	fl := cmd.fl
	format := fl.String("format", "text", "report format: text, json, junit, github or sarif")
	failOn := fl.String("fail-on", string(drift.Breaking), "exit 1 when a finding is at least this severe: "+drift.SeverityChoices())
	providerName := fl.String("provider", "", "provider of every payload (skips detection)")
	eventName := fl.String("event", "", "event of every payload (skips detection)")
	schemaDir := addSchemasFlag(fl)
	baselinePath := fl.String("baseline", "", "suppress the findings this baseline file accepts")
	writeBaseline := fl.String("write-baseline", "", "write this run's findings to FILE as accepted")
	workers := rangeFlag(fl, "workers", 0, 0, maxWorkers, "`N` payloads checked at once (0: one per CPU)")
	verbose := fl.Bool("v", false, "list clean payloads too (text format)")
	color := fl.String("color", "auto", "colour the text report: auto (a terminal without NO_COLOR or TERM=dumb), always or never")
	since := fl.String("since", "", "read the objects of s3:// paths dated (by their key) from this `yyyy-mm-dd` on")
	until := fl.String("until", "", "read the objects of s3:// paths dated (by their key) up to this `yyyy-mm-dd`, included")
	engineName := fl.String("engine", "fast", "fast (one pass over the bytes; unknown properties, enum values and missing properties classified in it, other drift handed to reference) or reference (decode and validate every payload with the schema engine); the report is the same")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) == 0 {
		return cmd.usage()
	}
	dates, err := objectDates(*since, *until, cmd.args)
	if err != nil {
		return fail("%v", err)
	}
	threshold, err := drift.ParseSeverity(*failOn)
	if err != nil {
		return fail("-fail-on: %v", err)
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	engine, err := validate.ParseEngine(*engineName)
	if err != nil {
		return fail("-engine: %v", err)
	}
	cat, v, err := newValidatorOnUse(fsys, validate.WithEngine(engine))
	if err != nil {
		return fail("%v", err)
	}
	if *providerName != "" {
		if _, err := cat.Find(*providerName); err != nil {
			return fail("-provider: %v", err)
		}
	}
	var baseline *report.Baseline
	if *baselinePath != "" {
		f, err := os.Open(*baselinePath)
		if err != nil {
			return fail("-baseline: %v", err)
		}
		baseline, err = report.ReadBaseline(f)
		f.Close()
		if err != nil {
			return fail("-baseline %q: %v", *baselinePath, err)
		}
	}
	colored, err := useColor(*color, stdout)
	if err != nil {
		return fail("-color: %v", err)
	}
	// The report goes out in 64 KiB writes, not one a payload, unless a
	// person watches it arrive; what is held is written before any exit.
	out, flush := stdout, func() error { return nil }
	if !isTerminal(stdout) {
		buffered := bufio.NewWriterSize(stdout, 64<<10)
		out, flush = buffered, buffered.Flush
	}
	reporter, err := report.New(*format, out, report.Options{
		Color:   colored,
		Verbose: *verbose,
		Version: moduleVersion(),
		FailOn:  threshold,
	})
	if err != nil {
		return fail("-format: %v", err)
	}

	var accepted *report.Baseline
	if *writeBaseline != "" {
		accepted = report.NewBaseline()
	}
	tally := report.NewTally(threshold)
	var done atomic.Int64
	stopProgress := startProgress(stderr, &done)
	unreadable := false
	unusable := map[string]bool{}        // providers whose schemas did not compile
	var noProvider, noEvent atomic.Int64 // for the hint at the end, in the CLI's words
	runErr := input.Run(v, cmd.args, stdin, input.RunOptions{Workers: *workers, Provider: *providerName, Event: *eventName, Read: dates}, func(r validate.Result) error {
		if reason, skipped := input.IsSkipped(r.Err); skipped {
			fmt.Fprintf(stderr, "payhooks validate: skipped %q: %s\n", r.Source, reason)
			return nil
		}
		done.Add(1)
		switch {
		case r.Err != nil:
		case r.Provider == "":
			noProvider.Add(1)
		case r.Event == "":
			noEvent.Add(1)
		}
		var schemaErr *validate.SchemaError
		switch {
		case errors.As(r.Err, &schemaErr):
			// A provider of -schemas compiled on its first payload: said
			// once, as newValidator would have said it at the start.
			unreadable = true
			if !unusable[schemaErr.Provider] {
				unusable[schemaErr.Provider] = true
				fmt.Fprintf(stderr, "payhooks validate: %v\n", r.Err)
			}
			return nil
		case r.Err != nil:
			unreadable = true
			fmt.Fprintf(stderr, "payhooks validate: read %q: %v\n", r.Source, r.Err)
		}
		r, suppressed := baseline.Filter(r)
		if accepted != nil {
			var n int
			r, n = accepted.Accept(r)
			suppressed += n
		}
		tally.Add(r, suppressed)
		return reporter.Result(r)
	})
	stopProgress()
	if runErr != nil {
		flush()
		return fail("%v", runErr)
	}
	summary := tally.Summary()
	if err := reporter.Close(summary); err != nil {
		return fail("write report: %v", err)
	}
	if err := flush(); err != nil {
		return fail("write report: %v", err)
	}
	if accepted != nil {
		if err := writeFileAtomic(*writeBaseline, accepted.Write); err != nil {
			return fail("-write-baseline: %v", err)
		}
		fmt.Fprintf(stderr, "payhooks validate: wrote %s to %s\n", words.Count(summary.Baselined, "accepted finding", "accepted findings"), *writeBaseline)
	}
	if n := noProvider.Load(); n > 0 && *providerName == "" {
		fmt.Fprintf(stderr, "payhooks validate: %s matched no provider; pass -provider to name it\n", words.Count(int(n), "payload", "payloads"))
	}
	if n := noEvent.Load(); n > 0 && *eventName == "" {
		fmt.Fprintf(stderr, "payhooks validate: %s named no event; pass -event to name it\n", words.Count(int(n), "payload", "payloads"))
	}
	switch {
	case unreadable:
		return exitCantRun
	case summary.Failed:
		return exitFailed
	}
	return exitOK
}

// startProgress prints a progress line on stderr every half second while a
// long run goes on, only when stderr is a terminal. The returned func stops
// it and clears the line.
func startProgress(stderr io.Writer, done *atomic.Int64) func() {
	if !isTerminal(stderr) {
		return func() {}
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-stop:
				if shown {
					fmt.Fprint(stderr, "\r\x1b[K")
				}
				return
			case <-tick.C:
				n := done.Load()
				fmt.Fprintf(stderr, "\r\x1b[Kvalidated %d payloads (%.0f/s)", n, float64(n)/time.Since(start).Seconds())
				shown = true
			}
		}
	}()
	return func() { close(stop); <-finished }
}

// objectDates checks -since and -until: dates, in order, for s3:// paths.
func objectDates(since, until string, paths []string) (input.ReadOptions, error) {
	for _, d := range []struct{ flag, value string }{{"-since", since}, {"-until", until}} {
		if d.value != "" && !s3capture.IsDate(d.value) {
			return input.ReadOptions{}, fmt.Errorf("%s %q: want a date, yyyy-mm-dd", d.flag, d.value)
		}
	}
	if since != "" && until != "" && since > until {
		return input.ReadOptions{}, fmt.Errorf("-since %s is after -until %s", since, until)
	}
	if since != "" || until != "" {
		if !slices.ContainsFunc(paths, s3capture.IsURL) {
			return input.ReadOptions{}, errors.New("-since and -until select objects by the date in their key: give an s3:// path")
		}
	}
	return input.ReadOptions{Since: since, Until: until}, nil
}
