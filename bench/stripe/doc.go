// Package stripebench proves payhooks on Stripe's official OpenAPI
// document, which is not bundled (docs/providers.md says why): make
// stripe-import writes the document stripe-mock v0.203.0 embeds to .docs/,
// imports it with payhooks schemas import into schemas/ and generates the
// package stripe/ from it, exactly as a user would; the tests here then
// build every event from Stripe's own fixtures and check it end to end,
// check interoperability with stripe-go in both directions, measure the
// changelog from stripe-mock v0.162.0's document, and compare speed with
// stripe-go side by side. It is a module of its own, so that payhooks
// depends on neither stripe-go nor stripe-mock.
package stripebench
