// Package input reads the payloads payhooks validate checks: .json files,
// NDJSON lines, capture files (their body, request path and body line), folders
// walked safely (regular files only, loops told apart by device and inode),
// objects below an s3:// URL (package webhook/s3capture) and stdin, never more than validate.MaxPayloadBytes of one payload; Run checks
// them in parallel and yields results in input order. It is the CLI's:
// generated code links none of it.
package input
