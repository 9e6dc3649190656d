// Package generated holds payhooks' own output for the bundled providers,
// one package per provider (the four written from the providers' pages and
// the three imported from Adyen's documents), committed so
// that users can read what generation gives and tests can use it. make
// check and a test in package generator fail when it is stale.
package generated

//go:generate go run ../cmd/payhooks generate -out .
