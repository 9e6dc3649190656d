package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/dircapture"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// openCaptureSink opens listen's -dir: object storage for an s3:// URL
// (its credentials checked by a write now), else a folder, whose partial
// captures of writers that are gone it removes.
func openCaptureSink(dir string, stderr io.Writer) (webhook.CaptureSink, error) {
	if s3capture.IsURL(dir) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return s3capture.Open(ctx, dir, s3capture.ConfigFromEnv())
	}
	sink, err := dircapture.Open(dir)
	if err != nil {
		return nil, err
	}
	if n, err := sink.Clean(); err != nil {
		return nil, err
	} else if n > 0 {
		fmt.Fprintf(stderr, "payhooks listen: removed %s whose writer is gone\n", words.Count(n, "partial capture", "partial captures"))
	}
	return sink, nil
}

// serveMetrics serves the default Prometheus registry at addr/metrics; a
// failure to serve is sent to failed.
func serveMetrics(addr string, failed chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(prometheus.DefaultGatherer, promhttp.HandlerOpts{}))
	srv := &http.Server{Addr: ln.Addr().String(), Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			failed <- fmt.Errorf("-metrics-addr: %w", err)
		}
	}()
	return srv, nil
}
