// Command older writes the Stripe OpenAPI document stripe-mock v0.162.0
// embeds (API version 2022-11-15; MIT, Stripe, Inc.) to -out: the older
// side of the changelog make stripe measures. A module of its own, since
// one module requires one version of stripe-mock.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/stripe/stripe-mock/embedded"
)

func main() {
	out := flag.String("out", "spec3.beta.sdk.v0.162.0.json", "the file to write")
	flag.Parse()
	if err := os.WriteFile(*out, embedded.BetaOpenAPISpec, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "older:", err)
		os.Exit(1)
	}
}
