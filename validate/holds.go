package validate

import (
	"encoding/json"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/lossless"
	"github.com/payhooks/payhooks/webhook"
)

// What the generated types cannot hold is breaking drift, whatever the
// schema's JSON type admits: an integer past int64 where an integer (or a
// Unix timestamp) is declared, a date-time time.Time cannot hold (a leap
// second), a "2006-01-02 15:04:05" date that does not exist. The generated
// decoders refuse such a value, so a handler answers 400 to every retry of
// it; the check here runs the decoders' own functions (lossless.Integer,
// lossless.Time, webhook.DateTime) on the schemas the generator maps to
// those types (generator/load typeRef), so validate and the handler cannot
// disagree.

// holdsKeyword names the check in the schema engine's errors; classify
// turns its errors into type_mismatch findings.
const holdsKeyword = "x-payhooks-holds"

// goType is a generated Go type that holds less than its JSON type admits.
type goType int

const (
	goInt64    goType = iota + 1 // int64, webhook.UnixSeconds, webhook.UnixMillis
	goTime                       // time.Time
	goDateTime                   // webhook.DateTime
)

// holdsCompiler finds, as the schema engine compiles each schema, the ones
// the generator maps to a goType: a single non-null type and none of the
// keywords that make the generator choose a union, enum, constant or
// struct instead.
type holdsCompiler struct{}

func (holdsCompiler) Compile(_ jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	for _, k := range []string{"oneOf", "anyOf", "enum", "const", "x-payhooks-known-values", "properties", "allOf", "$ref"} {
		if _, ok := m[k]; ok {
			return nil, nil
		}
	}
	var types []string
	switch t := m["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s != "null" {
				types = append(types, s)
			}
		}
	}
	if len(types) != 1 {
		return nil, nil
	}
	timestamp, _ := m["x-payhooks-timestamp"].(string)
	switch {
	case types[0] == "integer",
		types[0] == "number" && (timestamp == "unix-seconds" || timestamp == "unix-milliseconds"):
		return goInt64, nil
	case types[0] == "string" && timestamp == webhook.DateTimeLayout:
		return goDateTime, nil
	case types[0] == "string" && timestamp == "" && m["format"] == "date-time":
		return goTime, nil
	}
	return nil, nil
}

// Validate refuses what the Go type cannot hold; a value of another JSON
// type is the type keyword's to report.
func (g goType) Validate(ctx jsonschema.ValidationContext, v any) error {
	if err := g.holds(v); err != nil {
		return ctx.Error(holdsKeyword, "%s", err)
	}
	return nil
}

// holds runs the generated decoder's function for g on a decoded value.
func (g goType) holds(v any) error {
	switch x := v.(type) {
	case json.Number:
		if g == goInt64 {
			_, err := lossless.Integer([]byte(x))
			return err
		}
	case string:
		switch g {
		case goTime:
			_, err := lossless.Time([]byte(x))
			return err
		case goDateTime:
			quoted, err := json.Marshal(x)
			if err != nil {
				return err
			}
			var t webhook.DateTime
			if err := t.UnmarshalJSON(quoted); err != nil {
				return errorText(err)
			}
		}
	}
	return nil
}

// errorText unwraps a webhook.DecodeError to its message.
func errorText(err error) error {
	if de, ok := err.(*webhook.DecodeError); ok && de.Err != nil {
		return de.Err
	}
	return err
}

// holdsOf returns the goType the check found for a compiled schema, or 0.
func holdsOf(s *jsonschema.Schema) goType {
	g, _ := s.Extensions[holdsKeyword].(goType)
	return g
}

// registerHolds adds the check to a compiler.
func registerHolds(c *jsonschema.Compiler) {
	c.RegisterExtension(holdsKeyword, jsonschema.MustCompileString("payhooks-holds-meta.json", "{}"), holdsCompiler{})
}
