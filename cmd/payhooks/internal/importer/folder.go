package importer

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
)

// IsExample says whether a file of the imported folder is one of the
// document's examples (NAME/examples/…), which KeepAsDrift takes results of.
func IsExample(file string) bool { return path.Base(path.Dir(file)) == "examples" }

// RefusedExamples checks each of the import's examples with v, the
// imported schemas compiled, in path order: the results with findings,
// which KeepAsDrift takes.
func (r *Result) RefusedExamples(v *validate.Validator) []validate.Result {
	var refused []validate.Result
	for _, p := range slices.Sorted(maps.Keys(r.Files)) {
		if !IsExample(p) {
			continue
		}
		if res := v.Check(validate.Payload{Source: p, Body: r.Files[p]}); len(res.Findings) > 0 {
			refused = append(refused, res)
		}
	}
	return refused
}

// KeepAsDrift moves each example the imported schemas refuse (refused: the
// results of checking the examples, by their Source) to drift/, with the
// findings it must keep giving in expected/, as the bundled providers' doc
// samples are kept: a provider's example contradicting its own schema is
// known drift, not a payload to pass. It notes each.
func (r *Result) KeepAsDrift(refused []validate.Result) error {
	examples := 0
	for p := range r.Files {
		if IsExample(p) {
			examples++
		}
	}
	for _, res := range refused {
		p := res.Source
		if _, ok := r.Files[p]; !ok || !IsExample(p) || len(res.Findings) == 0 {
			return fmt.Errorf("%q is no refused example of the import", p)
		}
		expect := catalog.Expectation{
			Why:      "The document's own example contradicts its schema (found by payhooks schemas import).",
			Provider: res.Provider,
			Event:    res.Event,
		}
		for _, f := range res.Findings {
			expect.Findings = append(expect.Findings, catalog.ExpectedFinding{Pointer: f.Pointer, Kind: f.Kind, Severity: f.Severity})
		}
		data, err := json.MarshalIndent(expect, "", "  ")
		if err != nil {
			return err
		}
		drift := path.Join(r.Name, "drift", strings.TrimSuffix(path.Base(p), ".json")+"-example.json")
		r.Files[drift] = r.Files[p]
		r.Files[catalog.ExpectationPath(drift)] = append(data, '\n')
		delete(r.Files, p)
		f := res.Findings[0]
		for _, g := range res.Findings[1:] {
			if g.Severity.Rank() > f.Severity.Rank() {
				f = g // the most severe, first in pointer order
			}
		}
		r.Notes = append(r.Notes, fmt.Sprintf("known drift: the example %s contradicts the schema (%s %s: %s); kept as %s", path.Base(p), f.Kind, f.Pointer, f.Message, drift))
	}
	if len(refused) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%s of %d contradict the document's own schemas: kept in %s/drift with the findings they must keep giving", words.Count(len(refused), "example", "examples"), examples, r.Name))
	}
	return nil
}

// AddReadme writes NAME/README.md: where the provider was imported from
// (the document's file name) and what the import decided, its notes.
func (r *Result) AddReadme(source string) {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\nImported by `payhooks schemas import` from `%s`. What it decided:\n\n", r.Name, filepath.Base(source))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	r.Files[path.Join(r.Name, "README.md")] = []byte(b.String())
}
