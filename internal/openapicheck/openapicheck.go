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

	"github.com/getkin/kin-openapi/openapi3"
)

// Check loads the OpenAPI document name of fsys and runs kin-openapi's
// validation.
func Check(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return fmt.Errorf("load OpenAPI %q: %w", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return fmt.Errorf("validate OpenAPI %q: %w", name, err)
	}
	return nil
}
