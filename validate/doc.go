// Package validate checks webhook payloads against provider schemas and
// reports drift: what a provider sent that its schema does not describe.
//
// A Validator compiles a provider's schemas (JSON Schema 2020-12 files and
// OpenAPI 3.1 documents, all validated by santhosh-tekuri/jsonschema/v5 so
// there is one engine) once, when a payload first needs them, then Check
// detects each payload's provider and event, as the provider's
// webhook.Addressing reads them (a generated handler's check, ForProvider,
// is given the event the handler read), and judges it: the fast
// engine in one pass over the bytes, the reference engine (the schema
// engine's error tree, classified) for what the fast one cannot decide.
// Findings carry a JSON pointer, a Kind, its Severity and a message a person
// can act on. One root cause gives one finding: a union that no variant fits
// is reported once, at the union. Unknown properties, and absent members
// every documented sample shows (x-payhooks-expected), are found by walking
// the payload beside the schema, because the published schemas stay open to
// additions; a member additionalProperties: false closes out is an unknown
// property too (info), while the closedness still tells a union's variants
// apart as the provider's document does. The event's subject is structural
// (webhook.Addressing.Subject). Memory stays bounded by the payload's size
// (see Check).
//
// This package is the drift check alone, what generated handlers import, so
// it links only the schema engine and the runtime: reading inputs (package
// validate/input), the reporters and baselines (validate/report) and the
// kin-openapi check of OpenAPI documents (internal/tooling/openapicheck)
// are the tools'. The
// kinds and severities of findings are a contract, defined once in package
// webhook/drift, as is the JSON report (validate/report/report.schema.json).
package validate
