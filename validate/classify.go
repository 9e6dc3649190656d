package validate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/webhook/drift"
)

// classify turns the engine's error tree for doc into findings, one per root
// cause.
func classify(err *jsonschema.ValidationError, doc any) []drift.Finding {
	var out []drift.Finding
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		switch keyword(e.KeywordLocation) {
		case "oneOf", "anyOf":
			out = append(out, classifyUnion(e, doc, walk)...)
			return
		}
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		out = append(out, classifyLeaf(e, doc)...)
	}
	walk(err)
	return out
}

// classifyUnion reports a oneOf/anyOf failure. When exactly one variant
// accepts the value's JSON kind, the value was meant as that variant and its
// own complaints are the root cause; otherwise the union is the finding.
func classifyUnion(e *jsonschema.ValidationError, doc any, walk func(*jsonschema.ValidationError)) []drift.Finding {
	at := e.InstanceLocation
	got := describe(valueAt(doc, at))
	if ambiguous(e) {
		return []drift.Finding{newFinding(at, drift.TypeMismatch, "%s fits more than one variant of the union (%s)", got, e.Message)}
	}
	// No variant fits as written. Closed objects are read as open: a
	// variant refused only for members they close out fits, those members
	// being unknown properties; of several, the one that closes out fewest
	// (whose declared members cover the value best) decides, for an anyOf
	// the first of them.
	if branch, tie := leastClosedOut(e); branch != nil {
		walk(branch)
		return nil
	} else if tie {
		return []drift.Finding{newFinding(at, drift.TypeMismatch, "%s fits more than one variant of the union once closed objects are read as open", got)}
	}
	var fitting []*jsonschema.ValidationError
	var expected []string
	for _, branch := range e.Causes {
		if reason, ok := kindRejection(branch, at); ok {
			expected = append(expected, reason)
			continue
		}
		fitting = append(fitting, branch)
	}
	if len(fitting) == 1 {
		walk(fitting[0])
		return nil
	}
	if len(expected) > 0 && len(fitting) == 0 {
		return []drift.Finding{newFinding(at, drift.TypeMismatch, "no variant of the union fits: expected %s, got %s", strings.Join(dedupe(expected), " or "), got)}
	}
	return []drift.Finding{newFinding(at, drift.TypeMismatch, "no variant of the union fits %s", got)}
}

// ambiguous reports whether a oneOf failed because the value fits several
// variants.
func ambiguous(e *jsonschema.ValidationError) bool {
	return strings.HasPrefix(e.Message, "valid against schemas at indexes")
}

// closedOutCost reports whether a failure consists only of members that
// additionalProperties: false closes out (nested unions read the same way),
// so that with closed objects read as open, as payhooks reads them, the
// value fits; and how many members that takes.
func closedOutCost(e *jsonschema.ValidationError) (int, bool) {
	switch keyword(e.KeywordLocation) {
	case "additionalProperties":
		if len(e.Causes) == 0 && strings.HasSuffix(e.Message, " not allowed") {
			return len(quotedNames(strings.TrimSuffix(e.Message, " not allowed"))), true
		}
		return 0, false
	case "oneOf", "anyOf":
		branch, _ := leastClosedOut(e)
		if branch == nil {
			return 0, false
		}
		return closedOutCost(branch)
	}
	if len(e.Causes) == 0 {
		return 0, false
	}
	total := 0
	for _, c := range e.Causes {
		n, ok := closedOutCost(c)
		if !ok {
			return 0, false
		}
		total += n
	}
	return total, true
}

// leastClosedOut returns the variant of a failed union that fits with the
// fewest members closed out, and whether a oneOf has several such (then
// none is returned).
func leastClosedOut(e *jsonschema.ValidationError) (best *jsonschema.ValidationError, tie bool) {
	if ambiguous(e) {
		return nil, false
	}
	least := -1
	for _, branch := range e.Causes {
		n, ok := closedOutCost(branch)
		switch {
		case !ok:
		case least < 0 || n < least:
			best, least, tie = branch, n, false
		case n == least:
			tie = true
		}
	}
	if tie && keyword(e.KeywordLocation) == "oneOf" {
		return nil, true
	}
	return best, false
}

// kindRejection reports whether a union branch rejected the value at its
// own location by type, const or enum, and what it expected.
func kindRejection(branch *jsonschema.ValidationError, at string) (string, bool) {
	var reason string
	var found bool
	var visit func(e *jsonschema.ValidationError)
	visit = func(e *jsonschema.ValidationError) {
		if found {
			return
		}
		if len(e.Causes) == 0 && e.InstanceLocation == at {
			switch keyword(e.KeywordLocation) {
			case "type":
				reason, found = expectedTypes(e.Message), true
			case "const", "enum":
				reason, found = strings.TrimPrefix(e.Message, "value must be "), true
			}
			return
		}
		for _, c := range e.Causes {
			visit(c)
		}
	}
	visit(branch)
	return reason, found
}

func classifyLeaf(e *jsonschema.ValidationError, doc any) []drift.Finding {
	at := e.InstanceLocation
	switch keyword(e.KeywordLocation) {
	case "type":
		v := valueAt(doc, at)
		if v == nil {
			return []drift.Finding{newFinding(at, drift.TypeMismatch, "null where not allowed: expected %s", expectedTypes(e.Message))}
		}
		return []drift.Finding{newFinding(at, drift.TypeMismatch, "expected %s, got %s", expectedTypes(e.Message), describe(v))}
	case "required":
		var out []drift.Finding
		for _, name := range quotedNames(e.Message) {
			out = append(out, newFinding(jsonpointer.Append(at, name), drift.MissingRequired, "required property %q is missing", name))
		}
		return out
	case "enum":
		v := valueAt(doc, at)
		if s, ok := v.(string); ok {
			return []drift.Finding{newFinding(at, drift.UnknownEnumValue, "%q is not a documented value (%s)", s, strings.TrimPrefix(e.Message, "value must be "))}
		}
		return []drift.Finding{newFinding(at, drift.TypeMismatch, "%s is not a documented value (%s)", describe(v), strings.TrimPrefix(e.Message, "value must be "))}
	case "additionalProperties":
		// additionalProperties: false; each member it closes out is an
		// unknown property, as the walk beside the schema words it.
		var out []drift.Finding
		for _, name := range quotedNames(strings.TrimSuffix(e.Message, " not allowed")) {
			out = append(out, unknownProperty(jsonpointer.Append(at, name), name, true))
		}
		return out
	case "format":
		return []drift.Finding{newFinding(at, drift.ConstraintViolation, "%s is not a valid %s", describe(valueAt(doc, at)), lastQuoted(e.Message))}
	case "const":
		return []drift.Finding{newFinding(at, drift.ConstraintViolation, "expected %s, got %s", strings.TrimPrefix(e.Message, "value must be "), describe(valueAt(doc, at)))}
	case holdsKeyword:
		return []drift.Finding{newFinding(at, drift.TypeMismatch, "%s", e.Message)}
	case "pattern":
		return []drift.Finding{newFinding(at, drift.ConstraintViolation, "%s does not match pattern %s", describe(valueAt(doc, at)), strings.TrimPrefix(e.Message, "does not match pattern "))}
	}
	return []drift.Finding{newFinding(at, drift.ConstraintViolation, "%s: %s", keyword(e.KeywordLocation), e.Message)}
}

// keyword returns the last token of a keyword location.
func keyword(loc string) string {
	return loc[strings.LastIndexByte(loc, '/')+1:]
}

func valueAt(doc any, ptr string) any {
	v, _ := jsonpointer.Get(doc, ptr)
	return v
}

// expectedTypes pulls "number" out of "expected number, but got string".
func expectedTypes(msg string) string {
	msg = strings.TrimPrefix(msg, "expected ")
	if i := strings.Index(msg, ", but got"); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// quotedNames reads the names out of the engine's lists of quoted names:
// "missing properties: 'a', 'b'", "additionalProperties 'a', 'b'".
func quotedNames(msg string) []string {
	var names []string
	for len(msg) > 0 {
		if msg[0] != '\'' {
			msg = msg[1:]
			continue
		}
		end := 1
		for end < len(msg) && msg[end] != '\'' {
			if msg[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(msg) {
			break
		}
		quoted := strings.ReplaceAll(msg[1:end], `\'`, `'`)
		quoted = strings.ReplaceAll(quoted, `"`, `\"`)
		name, err := strconv.Unquote(`"` + quoted + `"`)
		if err != nil {
			name = msg[1:end]
		}
		names = append(names, name)
		msg = msg[end+1:]
	}
	return names
}

func lastQuoted(msg string) string {
	i := strings.LastIndex(msg, " valid ")
	if i < 0 {
		return "value"
	}
	return strings.Trim(msg[i+len(" valid "):], "'")
}

// describe names a value's JSON type and, for short scalars, the value:
// `string "997"`, `number 1.5`, `object`.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean " + strconv.FormatBool(x)
	case json.Number:
		return "number " + x.String()
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		if len(x) > 40 {
			x = x[:37] + "..."
		}
		return "string " + strconv.Quote(x)
	case []any:
		return fmt.Sprintf("array of %d", len(x))
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// rootCauses drops findings that restate another: exact repeats, and any
// finding less severe than another at the same pointer (a wrong type makes
// its enum or format complaint noise).
func rootCauses(fs []drift.Finding) []drift.Finding {
	if len(fs) < 2 {
		return fs // the common case of drift: nothing to compare
	}
	worst := map[string]drift.Severity{}
	for _, f := range fs {
		if f.Severity.Rank() > worst[f.Pointer].Rank() {
			worst[f.Pointer] = f.Severity
		}
	}
	seen := map[drift.Finding]bool{}
	out := fs[:0]
	for _, f := range fs {
		if seen[f] || (f.Kind != drift.UnknownProperty && f.Severity.Rank() < worst[f.Pointer].Rank()) {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return out
}
