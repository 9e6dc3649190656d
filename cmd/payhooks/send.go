package main

import (
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/sender"
	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/webhook"
)

func runSend(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks send", "Usage: payhooks send -provider P [-event E | -file F] [flags] URL\n\nSends signed deliveries, with the provider's scheme and the secrets payhooks listen reads\nfrom the environment. A URL without a path gets the provider's default route.\n\n", stdout, stderr)
	fl := cmd.fl
	providerName := fl.String("provider", "", "provider whose scheme signs the deliveries (required)")
	eventName := fl.String("event", "", "event whose bundled example is sent (required without -file)")
	file := fl.String("file", "", "send this payload or capture file instead of an example (a capture is replayed with its original body)")
	count := rangeFlag(fl, "count", 1, 1, maxSendCount, "`N` deliveries to send; with more than one, each gets a fresh delivery id and signature")
	freshID := fl.Bool("fresh-id", false, "give the delivery a fresh id, so that the receiver does not take a replay for a duplicate")
	concurrency := rangeFlag(fl, "concurrency", 1, 1, maxConcurrency, "`N` requests in flight at once, at most -count")
	schemaDir := addSchemasFlag(fl)
	timeout := rangeFlag(fl, "timeout", 30*time.Second, time.Millisecond, time.Hour, "per-request timeout, a `duration`")
	quiet := fl.Bool("q", false, "print only the summary line")
	signature := addSignatureFlags(fl, "sign with this scheme instead of the one the provider's schema declares")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	switch {
	case len(cmd.args) != 1:
		return cmd.usage()
	case *providerName == "":
		return fail("-provider is required")
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	cat, err := catalog.Load(fsys)
	if err != nil {
		return fail("%v", err)
	}
	p, err := cat.Find(*providerName)
	switch {
	case err != nil:
		return fail("-provider: %v", err)
	case *eventName == "" && *file == "":
		return fail("-event or -file is required")
	case (*freshID || *count > 1) && p.Addressing.DeliveryID == webhook.BodyDeliveryID:
		if *freshID {
			return fail("-fresh-id: %s keys a delivery on the SHA-256 of its body: a replay of the same body is the same delivery", p.Name)
		}
		fmt.Fprintf(stderr, "payhooks send: %s keys a delivery on the SHA-256 of its body: the %d copies are one delivery, acknowledged once and then as duplicates\n", p.Name, *count)
	}
	if err := signature.override(cat, p.Name); err != nil {
		return fail("%v", err)
	}
	if err := knownScheme(p); err != nil {
		return fail("%v", err)
	}
	body, capturedPath, err := payload(fsys, p, *eventName, *file)
	if err != nil {
		return fail("%v", err)
	}
	event := *eventName
	if event == "" {
		if event, _ = p.Addressing.Event(capturedPath, body); event == "" && capturedPath == "" {
			return fail("-file %s: no event at %s: not a %s delivery (pass -event to send it anyway)", *file, p.Addressing.EventPointer, p.Name)
		}
	}
	target, err := url.Parse(cmd.args[0])
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return fail("URL %q is not an http(s) URL", cmd.args[0])
	}
	if target.Path == "" || target.Path == "/" {
		target.Path = capturedPath
		if target.Path == "" {
			target.Path = p.PathOf(event)
		}
	}
	signer, err := webhook.NewSigner(schemeOf(p), webhook.SecretsFromEnv(p.Name), webhook.VerifyOptions{})
	if err != nil {
		return fail("%v (set %s)", err, envList(p))
	}

	results := sender.Send(sender.Options{
		URL: target.String(), Signer: signer, Body: body, Addressing: p.Addressing,
		Count: *count, Concurrency: *concurrency, Timeout: *timeout, FreshID: *freshID,
	})
	var all []sender.Result
	for r := range results {
		all = append(all, r)
		if !*quiet {
			// The event and id come from the payload, the reason from the
			// receiver: printLine escapes them.
			if r.Err != nil {
				printLine(stdout, "error %s %s %s %s: %v", p.Name, safetext.Field(event), safetext.Field(r.ID), r.Latency.Round(time.Microsecond), r.Err)
			} else {
				line := fmt.Sprintf("%d %s %s %s %s", r.Status, p.Name, safetext.Field(event), safetext.Field(r.ID), r.Latency.Round(time.Microsecond))
				if r.Reason != "" {
					line += ": " + r.Reason
				}
				printLine(stdout, "%s", line)
			}
		}
	}
	line, ok := sender.Summarize(all)
	fmt.Fprintln(stdout, line)
	if !ok {
		return exitFailed
	}
	return exitOK
}

// payload picks the body to send: a file (a capture's body and path), or
// the bundled example of event.
func payload(fsys fs.FS, p *catalog.Provider, event, file string) ([]byte, string, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, "", fmt.Errorf("-file: %w", err)
		}
		if c, err := capture.Parse(data); err == nil {
			return []byte(c.Body), c.Path, nil
		}
		return data, "", nil
	}
	var names []string
	for _, ex := range p.Examples {
		if ex.Event == event {
			data, err := fs.ReadFile(fsys, ex.Path)
			return data, "", err
		}
		names = append(names, ex.Event)
	}
	slices.Sort(names)
	return nil, "", fmt.Errorf("-event: %s has no example of %q (examples: %s)", p.Name, event, strings.Join(names, ", "))
}
