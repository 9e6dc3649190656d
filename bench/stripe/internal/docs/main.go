// Command docs writes the Stripe OpenAPI document and fixtures that
// stripe-mock v0.203.0 embeds (MIT, Stripe, Inc.; a module dependency of
// this module, so go.sum pins them) to -out, for make stripe to import:
// spec3.beta.sdk.json (the API version 2026-08-26.preview, whose
// component schemas tag the events) and fixtures3.beta.json.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stripe/stripe-mock/embedded"
)

func main() {
	out := flag.String("out", ".docs", "the folder to write the documents to")
	flag.Parse()
	if err := write(*out, map[string][]byte{
		"spec3.beta.sdk.json": embedded.BetaOpenAPISpec,
		"fixtures3.beta.json": embedded.BetaOpenAPIFixtures,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "docs:", err)
		os.Exit(1)
	}
}

func write(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
