// Package openapicheck validates a provider's OpenAPI document with
// kin-openapi (external references off) before its schemas are compiled:
// what generate and the CLI run on a user's schema folder (the bundled
// documents are checked by this package's tests, not at every start). It stands apart from
// package compile so that generated code, which compiles schemas that were
// checked when it was generated, does not link kin-openapi and its YAML and
// text dependencies.
package openapicheck

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Check loads the OpenAPI document name of fsys and runs kin-openapi's
// validation. Examples are not its to judge: an example the document's own
// schemas refuse is drift, which payhooks reports (schemas import keeps it
// under drift/). Its error is one line: kin-openapi's own goes on to print
// the schema and the value, which can be the whole document.
func Check(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return fmt.Errorf("load OpenAPI %q: %s", name, firstLine(err))
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return fmt.Errorf("validate OpenAPI %q: %s", name, firstLine(err))
	}
	return nil
}

// firstLine is an error's message up to its first line break.
func firstLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
