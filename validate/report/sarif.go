package report

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
	"github.com/payhooks/payhooks/webhook/drift"
)

// sarifReporter writes SARIF 2.1.0: one run, one rule per finding kind,
// one result per finding, located by file and line, with the JSON pointer as
// the logical location.
type sarifReporter struct {
	w       io.Writer
	version string
	body    spool
	count   int
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	// Suppressions mark a finding a baseline accepted, so code scanning
	// shows it as known rather than losing it.
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	Props        sarifProps         `json:"properties"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	Physical struct {
		Artifact struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
	Logical []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifProps struct {
	Pointer  string `json:"pointer"`
	Severity string `json:"severity"`
	Provider string `json:"provider,omitempty"`
	Event    string `json:"event,omitempty"`
}

func sarifLevel(s drift.Severity) string {
	switch s {
	case drift.Breaking:
		return "error"
	case drift.Warning:
		return "warning"
	}
	return "note"
}

func kindIndex(k drift.Kind) int {
	for i, kk := range drift.Kinds {
		if kk == k {
			return i
		}
	}
	return -1
}

func (s *sarifReporter) Result(r validate.Result) error {
	if r.Err != nil {
		return nil // unreadable inputs are not analysis results
	}
	if err := s.results(r, r.Findings, nil); err != nil {
		return err
	}
	return s.results(r, r.Baselined, []sarifSuppression{{Kind: "external", Status: "accepted", Justification: "accepted in the payhooks baseline"}})
}

// results writes one SARIF result per finding, with suppressions when a
// baseline accepted them.
func (s *sarifReporter) results(r validate.Result, findings []drift.Finding, suppressions []sarifSuppression) error {
	for _, f := range findings {
		res := sarifResult{
			Suppressions: suppressions,
			RuleID:       string(f.Kind),
			RuleIndex:    kindIndex(f.Kind),
			Level:        sarifLevel(f.Severity),
			Message:      sarifText{Text: pointerOrRoot(f.Pointer) + ": " + f.Message},
			Props:        sarifProps{Pointer: f.Pointer, Severity: string(f.Severity), Provider: r.Provider, Event: r.Event},
		}
		var loc sarifLocation
		loc.Physical.Artifact.URI = sarifURI(r.Source)
		if f.Line > 0 {
			loc.Physical.Region = &sarifRegion{StartLine: f.Line}
		}
		loc.Logical = []sarifLogical{{FullyQualifiedName: pointerOrRoot(f.Pointer), Kind: "member"}}
		res.Locations = []sarifLocation{loc}
		data, err := json.Marshal(res)
		if err != nil {
			return err
		}
		sep := ",\n"
		if s.count == 0 {
			sep = "\n"
		}
		s.count++
		if _, err := io.WriteString(&s.body, sep+"        "+string(data)); err != nil {
			return err
		}
	}
	return nil
}

func (s *sarifReporter) Close(Summary) error {
	type rule struct {
		ID     string    `json:"id"`
		Name   string    `json:"name"`
		Short  sarifText `json:"shortDescription"`
		Config struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	rules := make([]rule, len(drift.Kinds))
	for i, k := range drift.Kinds {
		rules[i] = rule{ID: string(k), Name: camel(string(k)), Short: sarifText{Text: k.Description()}}
		rules[i].Config.Level = sarifLevel(k.Severity())
	}
	version := s.version
	if version == "" {
		version = "dev"
	}
	driver, err := json.Marshal(map[string]any{
		"name":           "payhooks",
		"informationUri": "https://github.com/payhooks/payhooks",
		"version":        version,
		"rules":          rules,
	})
	if err != nil {
		return err
	}
	head := `{
  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {"driver": ` + string(driver) + `},
      "columnKind": "unicodeCodePoints",
      "results": [`
	if _, err := io.WriteString(s.w, head); err != nil {
		return err
	}
	if err := s.body.copyTo(s.w); err != nil {
		return err
	}
	_, err = io.WriteString(s.w, "\n      ]\n    }\n  ]\n}\n")
	return err
}

// sarifURI turns a source into a relative URI reference.
func sarifURI(source string) string {
	if source == input.StdinSource {
		return "stdin"
	}
	parts := strings.Split(strings.ReplaceAll(source, "\\", "/"), "/")
	for i, p := range parts {
		parts[i] = escapeURIPath(p)
	}
	return strings.Join(parts, "/")
}

func escapeURIPath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}

func camel(snake string) string {
	parts := strings.Split(snake, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}
