package emit

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

// docComment writes the Go doc comment of name as // lines wrapped at 100
// columns: the schema's own words in Go's form ("Status is the status of
// the payment.", "Data contains details about the event."), or, where the
// schema says nothing or its words are a sentence of their own ("Adyen
// sends this webhook when …"), fallback followed by those words.
func docComment(name, doc, fallback string) []jen.Code {
	return lineComments(wrap(describe(name, doc, fallback), 97))
}

// describe is the text of docComment.
func describe(name, doc, fallback string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if doc == "" {
		return sentence(fallback)
	}
	words := strings.Fields(strings.ToLower(doc))
	word := strings.TrimRight(words[0], ",.:;")
	second := ""
	if len(words) > 1 {
		second = words[1]
	}
	lowered := lowerFirst(doc)
	var text string
	switch {
	case word == "whether":
		text = name + " says " + lowered
	case verbs[word]:
		text = name + " " + lowered
	case determiners[word] && isSentence(doc): // "A checkout object is created."
		return sentence(fallback) + " " + sentence(doc)
	case determiners[word] || linking[word] || strings.HasSuffix(word, "ed") && len(word) > 3:
		text = name + " is " + lowered
	case strings.HasSuffix(words[0], ":"):
		text = name + " is " + lowered // "Open: values seen, no full list."
	case !unicode.IsLetter([]rune(word)[0]):
		text = name + " is " + lowered // "**auLocal**."
	case plural(word) && !finite[second]:
		text = name + " holds the " + lowered
	case isSentence(doc):
		return sentence(fallback) + " " + sentence(doc)
	default:
		text = name + " is the " + lowered
	}
	return sentence(text)
}

// sentence ends text with a full stop unless it ends a sentence already.
func sentence(text string) string {
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") {
		return text
	}
	return text + "."
}

// lowerFirst lower-cases the first letter of text unless its first word is
// an initialism (ISO, VAT, CO2) or an identifier written in mixed case.
func lowerFirst(text string) string {
	r, size := utf8.DecodeRuneInString(text)
	if !unicode.IsUpper(r) {
		return text
	}
	first, _, _ := strings.Cut(text, " ")
	for _, c := range strings.TrimRight(first[size:], ",.:;") {
		if unicode.IsUpper(c) || unicode.IsDigit(c) {
			return text
		}
	}
	return string(unicode.ToLower(r)) + text[size:]
}

// isSentence reports whether a description is a sentence of its own rather
// than a phrase naming the thing: a finite verb stands in its first clause
// ("Tazapay sends timestamps in three shapes", "payment_status of the
// checkout object changes to paid"), or it opens with a conjunction.
func isSentence(doc string) bool {
	clause, _, _ := strings.Cut(doc, ".")
	for _, stop := range []string{",", ";", ":", "("} {
		clause, _, _ = strings.Cut(clause, stop)
	}
	words := strings.Fields(strings.ToLower(clause))
	if len(words) > 0 && conjunctions[words[0]] {
		return true
	}
	for _, w := range words {
		switch {
		case relative[w]:
			return false // "Description of what is being paid for": the verb is the clause's
		case finite[w]:
			return true
		}
	}
	return false
}

// plural reports whether a first word is a plural noun ("Refunds",
// "Details"), which takes "holds" rather than "is".
func plural(word string) bool {
	return strings.HasSuffix(word, "s") && !strings.HasSuffix(word, "ss") && !strings.HasSuffix(word, "us") && !strings.HasSuffix(word, "is")
}

// verbs open a description that goes on from the name: "Contains details
// about the event." becomes "Data contains details about the event."
var verbs = setOf("contains", "indicates", "shows", "specifies", "identifies", "describes", "represents",
	"holds", "lists", "defines", "determines", "provides", "references", "returns", "stores", "includes",
	"denotes", "names", "gives", "tells", "says", "counts", "links", "maps", "marks", "records", "carries",
	"explains", "reports", "refers", "points", "applies", "controls", "enables", "sets")

// determiners open a noun phrase that follows "is" ("The id of the
// payment."), or a sentence ("A checkout object is created.").
var determiners = setOf("a", "an", "the", "this", "these", "its", "one", "each", "every", "any", "some",
	"all", "your", "our", "their")

// linking words open a description that follows "is": "When the event was
// queued." becomes "Timestamp is when the event was queued."
var linking = setOf("always", "only", "never", "usually", "when", "where", "how", "who", "what",
	"why", "which", "sent", "set", "given", "shown", "true", "false", "either", "no", "not", "present",
	"absent", "empty", "unused", "optional", "required")

// conjunctions open a sentence that cannot follow "is".
var conjunctions = setOf("if", "for", "use", "see", "note", "to", "in", "on", "as", "with", "after",
	"before", "once", "unless", "while", "because", "although", "by", "from", "at", "per", "of", "about",
	"under", "within", "without", "via", "during")

// relative words open a clause inside a phrase.
var relative = setOf("what", "which", "that", "who", "whom", "whose", "when", "where", "whether", "until",
	"if", "once", "after", "before", "unless", "while")

// finite verbs make a description a sentence of its own.
var finite = setOf("is", "are", "was", "were", "has", "have", "had", "can", "may", "might", "will",
	"would", "must", "should", "does", "do", "sends", "changes", "becomes", "happens", "occurs", "gets",
	"starts", "ends", "fails", "succeeds", "expires", "expired", "failed", "succeeded", "changed", "moved",
	"reached")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// typeDoc is the doc comment of a named type: its schema's words, or for an
// event's type without them the event's own (an OpenAPI webhook's summary
// and description), after a sentence saying what the type is.
func typeDoc(t *ir.Type, ev *ir.Event) string {
	doc := t.Doc
	var fallback string
	switch {
	case ev != nil:
		fallback = t.Name + " is the " + strconv.Quote(ev.Name) + " event"
		if ev.Summary != "" && !strings.Contains(ev.Summary, ev.Name) {
			fallback += " (" + strings.TrimSuffix(ev.Summary, ".") + ")"
		}
		if doc == "" {
			doc = ev.Doc
		}
	case t.Kind == ir.Enum:
		fallback = t.Name + " is the string enum of " + t.Source
	case t.Kind == ir.Union:
		fallback = t.Name + " is the union of " + t.Source
	default:
		fallback = t.Name + " is the object of " + t.Source
	}
	return describe(t.Name, doc, fallback)
}

// fieldDoc is the doc comment of a struct field.
func fieldDoc(fd *ir.Field) []jen.Code {
	return docComment(fd.GoName, fd.Doc, fd.GoName+" is the "+strconv.Quote(fd.JSONName)+" property")
}
