// Package sender posts signed deliveries, one or many at once, and totals
// the answers: the engine of payhooks send. With more than one delivery (or
// FreshID), each gets a fresh delivery id spliced into the body (byte for
// byte otherwise) and its own signature, so a receiver must keep every one.
package sender

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/payhooks/payhooks/webhook"
)

// Options say what to send where.
type Options struct {
	URL    string
	Signer webhook.Signer
	// Body is the delivery, addressed as its provider's Addressing says:
	// its delivery id is rewritten in every copy when Count > 1, unless the
	// provider keys deliveries on their body (webhook.BodyDeliveryID), whose
	// copies are all one delivery.
	Body       []byte
	Addressing webhook.Addressing
	// Count deliveries, Concurrency of them in flight at once (both at
	// least 1; no more workers than deliveries), each request within
	// Timeout.
	Count, Concurrency int
	Timeout            time.Duration
	// FreshID gives even a single delivery a fresh id: a replay the
	// receiver does not take for a retry of the original.
	FreshID bool
}

// Result is one request's answer.
type Result struct {
	ID      string
	Status  int
	Latency time.Duration
	Err     error
	// Reason is the first line of the answer's body, unless it is the plain
	// "ok" of a delivery handed to its callback: a refusal, or a 2xx that
	// did not run one ("ok: duplicate delivery", "ok: not handled").
	Reason string
}

// Send posts the deliveries and returns their results as they come; the
// channel closes after the last.
func Send(opts Options) <-chan Result {
	workers := min(opts.Concurrency, opts.Count)
	client := &http.Client{Timeout: opts.Timeout, Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	baseID, _ := opts.Addressing.ID(opts.Body)
	jobs := make(chan int)
	results := make(chan Result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- sendOne(client, opts, baseID, i)
			}
		}()
	}
	go func() {
		for i := 0; i < opts.Count; i++ {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	return results
}

// sendOne posts delivery i.
func sendOne(client *http.Client, opts Options, baseID string, i int) Result {
	id, body := baseID, opts.Body
	if (opts.Count > 1 || opts.FreshID) && baseID != "" && opts.Addressing.DeliveryID != webhook.BodyDeliveryID {
		id = fmt.Sprintf("%s-%s-%d", baseID, time.Now().UTC().Format("150405.000000"), i)
		var err error
		if body, err = webhook.SetString(body, opts.Addressing.DeliveryID, id); err != nil {
			return Result{ID: id, Err: err}
		}
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, opts.URL, bytes.NewReader(body))
	if err != nil {
		return Result{ID: id, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if err := opts.Signer.Sign(req.Header, opts.URL, body); err != nil {
		return Result{ID: id, Err: err}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return Result{ID: id, Latency: time.Since(start), Err: err}
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	reason, _, _ := strings.Cut(strings.TrimSpace(string(head)), "\n")
	if resp.StatusCode < 300 && reason == "ok" {
		reason = ""
	}
	io.Copy(io.Discard, resp.Body)
	return Result{ID: id, Status: resp.StatusCode, Latency: time.Since(start), Reason: reason}
}

// Summarize writes the closing line, "sent N: 2xx A, 4xx B, 5xx C, errors
// D, p50 …, p99 …", and reports whether every request got a 2xx.
func Summarize(all []Result) (string, bool) {
	var ok, c4, c5, errs int
	var lat []time.Duration
	for _, r := range all {
		lat = append(lat, r.Latency)
		switch {
		case r.Err != nil:
			errs++
		case r.Status < 300:
			ok++
		case r.Status < 500:
			c4++
		default:
			c5++
		}
	}
	slices.Sort(lat)
	pct := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(q*float64(len(lat)-1))]
	}
	return fmt.Sprintf("sent %d: 2xx %d, 4xx %d, 5xx %d, errors %d, p50 %s, p99 %s",
		len(all), ok, c4, c5, errs, pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond)), ok == len(all)
}
