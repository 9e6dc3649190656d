// Package schemas carries payhooks' bundled webhook schemas inside the binary.
//
// Each provider has a folder: a JSON Schema 2020-12 root (finmo/finmo.json,
// rapyd/rapyd.json, tazapay/tazapay.json) with one schema per event under
// events/, or an OpenAPI 3.1 document (augustus/openapi.json, and the three
// Adyen documents payhooks schemas import wrote); examples/ holds
// one valid payload per event, drift/ the documented payloads that break
// the schema, and expected/ what each of those gives, and why. README.md in this folder
// lists where every example came from and which ends the docs leave open.
package schemas

import "embed"

// FS holds every bundled provider folder, rooted at the provider names
// ("finmo/finmo.json", "augustus/openapi.json", …).
//
//go:embed finmo rapyd tazapay augustus adyenpayment adyentokenization adyentransfer
var FS embed.FS

// BaseURI is the prefix of every bundled schema's $id; the rest of the $id is
// the file's path in FS. Nothing is ever fetched from it.
const BaseURI = "https://payhooks.dev/schemas/"
