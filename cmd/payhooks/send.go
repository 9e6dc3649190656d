package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/safetext"
	"github.com/payhooks/payhooks/webhook"
)

func runSend(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks send", "Usage: payhooks send -provider P [-event E | -file F] [flags] URL\n\nSends signed deliveries, with the provider's scheme and the secrets payhooks listen reads\nfrom the environment. A URL without a path gets the provider's default route.\n\n", stdout, stderr)
	fl := cmd.fl
	providerName := fl.String("provider", "", "provider whose scheme signs the deliveries (required)")
	eventName := fl.String("event", "", "event whose bundled example is sent (required without -file)")
	file := fl.String("file", "", "send this payload or capture file instead of an example (a capture is replayed with its original body)")
	count := fl.Int("count", 1, "deliveries to send; with more than one, each gets a fresh delivery id and signature")
	concurrency := fl.Int("concurrency", 1, "requests in flight at once")
	schemaDir := fl.String("schemas", "", "folder of schemas (default: the bundled ones)")
	timeout := fl.Duration("timeout", 30*time.Second, "per-request timeout")
	quiet := fl.Bool("q", false, "print only the summary line")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	switch {
	case len(cmd.args) != 1:
		return cmd.usage()
	case *providerName == "":
		return fail("-provider is required")
	case *eventName == "" && *file == "":
		return fail("-event or -file is required")
	case *count < 1 || *concurrency < 1:
		return fail("-count and -concurrency must be at least 1")
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	cat, err := catalog.Load(fsys)
	if err != nil {
		return fail("%v", err)
	}
	p := cat.Provider(*providerName)
	if p == nil {
		return fail("-provider: %v", unknownProvider(cat, *providerName))
	}
	if err := knownScheme(p); err != nil {
		return fail("%v", err)
	}
	body, capturedPath, err := payload(fsys, p, *eventName, *file)
	if err != nil {
		return fail("%v", err)
	}
	target, err := url.Parse(cmd.args[0])
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return fail("URL %q is not an http(s) URL", cmd.args[0])
	}
	if target.Path == "" || target.Path == "/" {
		target.Path = capturedPath
		if target.Path == "" {
			target.Path = p.Route()
			if p.Discriminator.In == "path" {
				target.Path += *eventName
			}
		}
	}
	signer, err := webhook.NewSigner(schemeOf(p), webhook.SecretsFromEnv(p.Name), webhook.VerifyOptions{})
	if err != nil {
		return fail("%v (set %s)", err, strings.Join(webhook.EnvNames(p.Name, schemeOf(p)), ", "))
	}
	baseID, _ := webhook.StringAt(body, p.DeliveryID)
	event := *eventName
	if event == "" {
		event, _ = webhook.StringAt(body, p.Discriminator.Pointer)
	}

	client := &http.Client{Timeout: *timeout, Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency, MaxConnsPerHost: *concurrency}}
	jobs := make(chan int)
	results := make(chan sendResult)
	var wg sync.WaitGroup
	for w := 0; w < *concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- sendOne(client, target.String(), signer, p, body, baseID, i, *count)
			}
		}()
	}
	go func() {
		for i := 0; i < *count; i++ {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	var all []sendResult
	for r := range results {
		all = append(all, r)
		if !*quiet {
			if r.err != nil {
				fmt.Fprintf(stdout, "error %s %s %s %s: %v\n", p.Name, orDash(event), orDash(r.id), r.latency.Round(time.Microsecond), r.err)
			} else {
				line := fmt.Sprintf("%d %s %s %s %s", r.status, p.Name, orDash(event), orDash(r.id), r.latency.Round(time.Microsecond))
				if r.reason != "" {
					line += ": " + safetext.Escape(r.reason) // what the receiver said, escaped: it is not ours
				}
				fmt.Fprintln(stdout, line)
			}
		}
	}
	line, ok := summarize(all)
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
	sort.Strings(names)
	return nil, "", fmt.Errorf("-event: %s has no example of %q (examples: %s)", p.Name, event, strings.Join(names, ", "))
}

type sendResult struct {
	id      string
	status  int
	latency time.Duration
	err     error
	// reason is the first line of a non-2xx answer's body.
	reason string
}

// sendOne posts delivery i. With more than one delivery, each gets a fresh
// id, so each is a new delivery the receiver must keep.
func sendOne(client *http.Client, target string, signer webhook.Signer, p *catalog.Provider, body []byte, baseID string, i, count int) sendResult {
	id := baseID
	if count > 1 && baseID != "" {
		id = fmt.Sprintf("%s-%s-%d", baseID, time.Now().UTC().Format("150405.000000"), i)
		var err error
		if body, err = webhook.SetString(body, p.DeliveryID, id); err != nil {
			return sendResult{id: id, err: err}
		}
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return sendResult{id: id, err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if err := signer.Sign(req.Header, target, body); err != nil {
		return sendResult{id: id, err: err}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return sendResult{id: id, latency: time.Since(start), err: err}
	}
	defer resp.Body.Close()
	reason := ""
	if resp.StatusCode >= 300 {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		reason, _, _ = strings.Cut(strings.TrimSpace(string(head)), "\n")
	}
	io.Copy(io.Discard, resp.Body)
	return sendResult{id: id, status: resp.StatusCode, latency: time.Since(start), reason: reason}
}

// summarize writes the closing line and reports whether every request got
// a 2xx.
func summarize(all []sendResult) (string, bool) {
	var ok, c4, c5, errs int
	var lat []time.Duration
	for _, r := range all {
		lat = append(lat, r.latency)
		switch {
		case r.err != nil:
			errs++
		case r.status < 300:
			ok++
		case r.status < 500:
			c4++
		default:
			c5++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(q*float64(len(lat)-1))]
	}
	return fmt.Sprintf("sent %d: 2xx %d, 4xx %d, 5xx %d, errors %d, p50 %s, p99 %s",
		len(all), ok, c4, c5, errs, pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond)), ok == len(all)
}
