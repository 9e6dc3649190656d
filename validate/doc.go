// Package validate checks webhook payloads against provider schemas and
// reports drift: what a provider sent that its schema does not describe.
//
// A Validator compiles every schema of a schema folder once (JSON Schema
// 2020-12 files, and OpenAPI 3.1 documents checked with kin-openapi, all
// validated by santhosh-tekuri/jsonschema/v5 so there is one engine), then
// Check detects each payload's provider and event and judges it: the fast
// engine in one pass over the bytes, the reference engine (the schema
// engine's error tree, classified) for what the fast one cannot decide.
// Findings carry a JSON pointer, a Kind, its Severity and a message a person
// can act on. One root cause gives one finding: a union that no variant fits
// is reported once, at the union. Unknown properties are found by walking the
// payload beside the schema, because the published schemas stay open to
// additions. Memory stays bounded by the payload's size (see Check).
//
// Read streams payloads out of files, NDJSON, capture files, directories and
// stdin without holding more than one payload at a time, and Run validates
// them in parallel, yielding results in input order. The reporters (text,
// json, junit, github, sarif) write a run's results in the formats CI tools
// read; the kinds, severities and JSON report are a contract (README.md,
// "Validate captured payloads in CI", and report.schema.json).
package validate
