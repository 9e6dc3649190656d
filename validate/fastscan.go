package validate

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook/drift"
)

// maxObjectNames bounds the duplicate-name check of one object; a larger
// object goes to the reference engine.
const maxObjectNames = 512

// scanner walks one payload; pooled with its room for the names of the
// objects being walked, so a clean check allocates nothing.
type scanner struct {
	data []byte
	keys [][]byte // the names of the objects being walked, for duplicates
	path []step   // where the walk is, for the pointer of a finding
	// findings are the drift the fast engine classifies itself; inUnion
	// counts the unions being tried, inside which nothing is recorded (the
	// reference engine judges a union's variants).
	findings []drift.Finding
	inUnion  int
	// failed says, when value returns false inside a union, why: what a
	// union weighs to tell a variant that does not fit from one the fast
	// engine cannot judge.
	failed failure
	// inDecided counts the unions whose variant the value's kind decided
	// (a single variant takes it), inside which only what the reference
	// engine's walk beside the schema places is recorded (walkPlaced).
	inDecided int
	// stop is where the walk met the first thing it could not judge,
	// outside union trials: the first problem the reference engine will
	// find, for a payload too large to hand it.
	stop    string
	stopped bool
}

// failure is why value returned false.
type failure uint8

const (
	// undecided: the fast engine cannot tell; the reference engine judges.
	undecided failure = iota
	// refused: the schemas as written refuse the value.
	refused
	// closedOut: refused, as far as the walk went, by a member an object
	// closed by additionalProperties: false does not declare; payhooks reads
	// such objects as open, and then the value may still fit.
	closedOut
)

// fail returns false for value, recording why.
func (s *scanner) fail(f failure) (int, bool) {
	s.failed = f
	return 0, false
}

// step is one token of the walk's position: an object member or an index.
type step struct {
	key   []byte
	index int
}

// pointer renders the current position plus a last token, for a finding.
func (s *scanner) pointer(last []byte) string {
	var b strings.Builder
	for _, st := range s.path {
		b.WriteByte('/')
		if st.key != nil {
			b.WriteString(jsonpointer.Escape(string(st.key)))
		} else {
			b.WriteString(strconv.Itoa(st.index))
		}
	}
	if last != nil {
		b.WriteByte('/')
		b.WriteString(jsonpointer.Escape(string(last)))
	}
	return b.String()
}

// note records a finding the fast engine classifies itself; inside a
// union it cannot, and the payload goes to the reference engine.
func (s *scanner) note(f drift.Finding) bool {
	if s.inUnion > 0 || s.inDecided > 0 && !walkPlaced(f.Kind) {
		return false
	}
	s.findings = append(s.findings, f)
	return true
}

// walkPlaced reports whether the reference engine finds a kind by its walk
// beside the schema (unknown.go), which places it inside a union's variant
// as the fast engine's decided union does, rather than by classifying the
// schema engine's errors.
func walkPlaced(k drift.Kind) bool { return k == drift.UnknownProperty || k == drift.MissingExpected }

var scanners = sync.Pool{New: func() any { return &scanner{keys: make([][]byte, 0, 256), path: make([]step, 0, 32)} }}

// scan reports whether the fast engine could judge data against n, and the
// findings it classified (nil when clean). false means "ask the reference
// engine", not "invalid"; stop then says where the walk stopped.
func scan(n *cnode, data []byte) (findings []drift.Finding, ok bool, stop string) {
	if !utf8.Valid(data) {
		return nil, false, ""
	}
	s := scanners.Get().(*scanner)
	s.data, s.keys, s.path, s.findings, s.inUnion, s.inDecided, s.stop, s.stopped, s.failed = data, s.keys[:0], s.path[:0], nil, 0, 0, "", false, undecided
	end, ok := s.value(n, jsonscan.SkipSpace(data, 0), 0)
	ok = ok && jsonscan.SkipSpace(data, end) == len(data)
	findings, stop = s.findings, s.stop
	s.data, s.findings = nil, nil
	scanners.Put(s)
	return findings, ok, stop
}

// value checks the value starting at i and returns where it ends. Input
// deeper than jsonscan.MaxDepth is the reference engine's to report.
func (s *scanner) value(n *cnode, i, depth int) (int, bool) {
	d := s.data
	if i >= len(d) || depth > jsonscan.MaxDepth || (n != nil && n.unsupported) {
		return 0, false
	}
	var kind uint8
	end := 0
	switch c := d[i]; {
	case c == '{':
		kind = kindObject
	case c == '[':
		kind = kindArray
	case c == '"':
		kind = kindString
	case c == 't':
		kind, end = kindBool, literal(d, i, "true")
	case c == 'f':
		kind, end = kindBool, literal(d, i, "false")
	case c == 'n':
		kind, end = kindNull, literal(d, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		end, kind = number(d, i)
	default:
		return 0, false
	}
	if (kind == kindBool || kind == kindNull || kind&(kindInteger|kindNumber) != 0) && end == 0 {
		return 0, false
	}
	if n == nil {
		return s.any(kind, i, end, depth)
	}
	if n.types != 0 && n.types&kind == 0 {
		if s.inUnion > 0 {
			return s.fail(refused) // inside a union, a refusal only rules a variant out
		}
		return s.scalarDrift(n, kind, i, end)
	}
	if kind != kindString && n.namesValues && !n.listsValue(kind, d[i] == 't') {
		return s.fail(refused) // an enum or const that does not list it
	}
	if len(n.variants) > 0 {
		end, ok := s.union(n, kind, i, end, depth)
		if ok && kind == kindString && n.constrainsStrings {
			// The union's siblings: the node's own string keywords.
			return s.stringChecks(n, i, false)
		}
		return end, ok
	}
	switch kind {
	case kindObject:
		return s.object(n, i, depth)
	case kindArray:
		return s.array(n.items, i, depth)
	case kindString:
		if !n.constrainsStrings {
			e, _, err := jsonscan.String(s.data, i)
			return e, err == nil
		}
		return s.stringChecks(n, i, true)
	}
	return end, true
}

// any checks a value no schema constrains: syntax and duplicate names only.
func (s *scanner) any(kind uint8, i, end, depth int) (int, bool) {
	switch kind {
	case kindObject:
		return s.object(nil, i, depth)
	case kindArray:
		return s.array(nil, i, depth)
	case kindString:
		e, _, err := jsonscan.String(s.data, i)
		return e, err == nil
	}
	return end, true
}

// literal is jsonscan.Literal's end, or 0 for none there.
func literal(d []byte, i int, word string) int {
	end, _ := jsonscan.Literal(d, i, word)
	return end
}

// number scans a JSON number (jsonscan.Number) and tells an integer from
// another number. A fraction of zeros (1.0, an integer to the schema
// engine) and an exponent (possibly beyond range) are left to the reference
// engine: end 0. So are a number past MaxNumberLength and an integer past
// int64, which the generated types cannot hold where an integer is
// declared.
func number(d []byte, i int) (int, uint8) {
	end, err := jsonscan.Number(d, i)
	if err != nil || end-i > MaxNumberLength {
		return 0, kindNumber
	}
	text := d[i:end]
	if bytes.ContainsAny(text, "eE") {
		return 0, kindNumber
	}
	point := bytes.IndexByte(text, '.')
	if point < 0 {
		if len(text) > 18 {
			if _, err := strconv.ParseInt(string(text), 10, 64); err != nil {
				return 0, kindInteger
			}
		}
		return end, kindInteger
	}
	if len(bytes.Trim(text[point+1:], "0")) == 0 {
		return 0, kindNumber // 1.0: an integer to the schema engine
	}
	return end, kindNumber
}

// stringChecks checks the string at i against the node's string keywords.
// On the first that fails, scalarDrift words all of them when it may
// (word: outside a union, and no union of the node's own that the reference
// engine's words would also name); otherwise the value is refused.
func (s *scanner) stringChecks(n *cnode, i int, word bool) (int, bool) {
	end, escaped, err := jsonscan.String(s.data, i)
	switch {
	case err != nil:
		return 0, false
	case escaped:
		return s.fail(undecided) // an escaped value: the reference engine reads it
	}
	v := s.data[i+1 : end-1]
	refuses := func() bool {
		for k := range n.checks {
			if n.checks[k].refuses(v) {
				return true
			}
		}
		return false
	}
	for k := range n.checks {
		// A date the generated types may not hold (holds.go) is the
		// reference engine's to judge, whatever else is wrong with it;
		// inside a union, a value another keyword refuses rules the
		// variant out all the same.
		if c := &n.checks[k]; c.format == "date-time" && !goTimeHolds(v) || c.dateTime && !localDateTime(v) {
			if s.inUnion > 0 && refuses() {
				return s.fail(refused)
			}
			return s.fail(undecided)
		}
	}
	if refuses() {
		if !word || s.inUnion > 0 {
			return s.fail(refused)
		}
		return s.scalarDrift(n, kindString, i, end)
	}
	return end, true
}

// refuses reports whether v fails one of the check's string keywords.
func (c *scalarCheck) refuses(v []byte) bool {
	return c.constant != nil && string(v) != *c.constant ||
		c.enum != nil && !inEnum(c.enum, v) ||
		c.format != "" && !formatOK(c.format, v) ||
		!c.lengthOK(v) ||
		c.pattern != nil && !c.pattern.Match(v)
}

// inEnum is slices.Contains(enum, string(v)) without converting v, which
// would allocate on every clean payload.
func inEnum(enum []string, v []byte) bool {
	for _, e := range enum {
		if string(v) == e {
			return true
		}
	}
	return false
}

// formatOK checks the formats the bundled schemas use byte by byte, as the
// engine's own checks do (FuzzFastFormats); any other format is the
// engine's own function.
func formatOK(format string, v []byte) bool {
	switch format {
	case "date-time":
		return dateTime(v)
	case "uuid":
		return uuid(v)
	}
	return jsonschema.Formats[format](string(v))
}

func (s *scanner) object(n *cnode, i, depth int) (int, bool) {
	first := len(s.keys)
	end, ok := s.members(n, i, depth)
	s.keys = s.keys[:first]
	return end, ok
}

// members walks an object's members, adding their names to s.keys.
func (s *scanner) members(n *cnode, i, depth int) (int, bool) {
	d := s.data
	first := len(s.keys)
	var found, expected memberSet
	i = jsonscan.SkipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1, n == nil || s.membersFound(n, found, expected)
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return 0, false
		}
		kend, escaped, err := jsonscan.String(d, i)
		if err != nil || escaped {
			return 0, false // an escaped name: the reference engine reads it
		}
		key := d[i+1 : kend-1]
		for _, k := range s.keys[first:] {
			if bytes.Equal(k, key) {
				return 0, false // a duplicate name
			}
		}
		if len(s.keys)-first >= maxObjectNames {
			return 0, false
		}
		s.keys = append(s.keys, key)
		i = jsonscan.SkipSpace(d, kend)
		if i >= len(d) || d[i] != ':' {
			return 0, false
		}
		i = jsonscan.SkipSpace(d, i+1)
		var child *cnode
		if n != nil {
			p, declared := n.props[string(key)]
			if declared {
				child = p.node
				if p.bit >= 0 {
					found.add(p.bit)
				}
				if p.expected >= 0 {
					expected.add(p.expected)
				}
			} else {
				child = n.extra // nil, when no schema describes other members
			}
			if unknown, closed := n.unknown(p, declared); unknown {
				switch {
				case s.inUnion == 0:
					// Reported; its value is checked against what does
					// describe it (syntax alone when nothing does).
					if !s.note(unknownProperty(s.pointer(key), string(key), closed)) {
						return s.fail(undecided)
					}
				case closed:
					return s.fail(closedOut)
				default:
					return s.fail(undecided) // an info inside a union: the reference engine places it
				}
			}
		}
		next, closed, ok := s.element(child, step{key: key}, i, depth, '}')
		switch {
		case !ok:
			return 0, false
		case closed:
			return next, n == nil || s.membersFound(n, found, expected)
		}
		i = next
	}
}

// element checks one member's value or array item at i, then the comma or
// closing bracket after it: it returns where the next element starts, or,
// with closed, where the container ends.
func (s *scanner) element(n *cnode, at step, i, depth int, closer byte) (next int, closed, ok bool) {
	d := s.data
	s.path = append(s.path, at)
	end, ok := s.value(n, i, depth+1)
	if !ok && !s.stopped && s.inUnion == 0 {
		s.stop, s.stopped = s.pointer(nil), true
	}
	s.path = s.path[:len(s.path)-1]
	if !ok {
		return 0, false, false
	}
	i = jsonscan.SkipSpace(d, end)
	switch {
	case i >= len(d):
		return 0, false, false
	case d[i] == ',':
		return jsonscan.SkipSpace(d, i+1), false, true
	case d[i] == closer:
		return i + 1, true, true
	}
	return 0, false, false
}

// maxRequired is the most required, and the most expected, properties of
// one object the fast engine tracks (Stripe marks a hundred of an
// invoice's required); an object with more goes to the reference engine.
const maxRequired = 256

// memberSet holds which of an object's required (or expected) properties
// it has, by bit, without allocating.
type memberSet [maxRequired / 64]uint64

func (r *memberSet) add(bit int) { r[bit/64] |= 1 << (bit % 64) }

func (r *memberSet) has(bit int) bool { return r[bit/64]&(1<<(bit%64)) != 0 }

// all reports whether bits 0 to n-1 are set.
func (r *memberSet) all(n int) bool {
	for w := 0; n > 0; w, n = w+1, n-64 {
		want := ^uint64(0)
		if n < 64 {
			want = uint64(1)<<n - 1
		}
		if r[w]&want != want {
			return false
		}
	}
	return true
}

// membersFound reports each required and each expected property the object
// lacks, as the reference engine words them; false when it cannot. Inside
// a union, a missing required one refuses the variant, and a missing
// expected one (a warning the reference engine places) leaves it
// undecided; inside a decided variant, a missing required one is the
// reference engine's to word.
func (s *scanner) membersFound(n *cnode, found, expected memberSet) bool {
	allRequired, allExpected := found.all(len(n.required)), expected.all(len(n.expected))
	switch {
	case allRequired && allExpected:
		return true
	case s.inUnion > 0 && !allRequired:
		s.failed = refused
		return false
	case s.inUnion > 0:
		s.failed = undecided
		return false
	}
	for bit, name := range n.required {
		if !found.has(bit) && !s.note(newFinding(s.pointer([]byte(name)), drift.MissingRequired, "required property %q is missing", name)) {
			return false
		}
	}
	for bit, name := range n.expected {
		if !expected.has(bit) && !s.note(missingExpected(s.pointer([]byte(name)), name, n.expectedSource[bit])) {
			return false
		}
	}
	return true
}

func (s *scanner) array(items *cnode, i, depth int) (int, bool) {
	d := s.data
	i = jsonscan.SkipSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		return i + 1, true
	}
	for index := 0; ; index++ {
		next, closed, ok := s.element(items, step{index: index}, i, depth, ']')
		switch {
		case !ok:
			return 0, false
		case closed:
			return next, true
		}
		i = next
	}
}

// taggedVariant is the variant of n the object at i names by its tag
// (first occurrence: the variant's own check of every occurrence hands a
// repeated, different tag over), or nil.
func (s *scanner) taggedVariant(n *cnode, i int) *cnode {
	obj := s.data[i:]
	start, end, ok := jsonscan.First(obj, n.tag)
	if !ok || obj[start] != '"' {
		return nil
	}
	e, escaped, err := jsonscan.String(obj, start)
	if err != nil || escaped || e != end {
		return nil
	}
	return n.tagged[string(obj[start+1:end-1])]
}

// union decides a oneOf/anyOf: an object by its tag when the variants have
// one, a value only one variant's type takes by that variant, otherwise by
// trying each variant that takes the value's JSON kind (containers only
// where no other union is being tried, so trials never multiply). A variant the fast engine cannot judge makes the union
// undecided, since it may fit too; a variant refused only by a closed
// object's member leaves the union to the reference engine when no variant
// fits as written, since payhooks then reads closed objects as open.
func (s *scanner) union(n *cnode, kind uint8, i, end, depth int) (int, bool) {
	if kind == kindObject && n.tag != "" {
		v := s.taggedVariant(n, i)
		if v == nil {
			return s.fail(undecided)
		}
		// Every other object variant refuses the tag: the union is this
		// variant's to decide.
		s.inUnion++
		e, ok := s.value(v, i, depth+1)
		s.inUnion--
		if ok {
			s.failed = undecided
		}
		return e, ok
	}
	var candidates [8]*cnode
	count := 0
	for _, v := range n.variants {
		if v.types == 0 || v.types&kind != 0 {
			if count == len(candidates) {
				return s.fail(undecided)
			}
			candidates[count] = v
			count++
		}
	}
	switch {
	case count == 0:
		return s.fail(refused) // no variant takes this kind
	case count == 1:
		// The one variant of the value's kind (Stripe's nullable objects,
		// anyOf [object, null]): the value is that variant's or none's, and
		// the variant's failure is the union's. Outside a trial, what the
		// reference engine's walk beside the schema places there (an
		// unknown property, an absent expected member) is recorded, since
		// it picks the variant the same way (variantFor); anything else is
		// the reference engine's to word.
		s.inDecided++
		s.failed = undecided
		e, ok := s.value(candidates[0], i, depth+1)
		s.inDecided--
		if ok {
			s.failed = undecided
		}
		return e, ok
	case (kind == kindObject || kind == kindArray) && s.inUnion > 0:
		return s.fail(undecided)
	}
	s.inUnion++
	matched, last, unsure, closed := 0, 0, 0, 0
	for _, v := range candidates[:count] {
		s.failed = undecided
		if e, ok := s.value(v, i, depth+1); ok {
			matched, last = matched+1, e
			continue
		}
		switch s.failed {
		case undecided:
			unsure++
		case closedOut:
			closed++
		}
	}
	s.inUnion--
	switch {
	case n.oneOf && matched > 1:
		return s.fail(refused) // fits more than one variant
	case matched > 0 && unsure == 0:
		// Every variant that fits applies (for an anyOf, the reference
		// engine reads what each declares): the fast engine has judged
		// them all.
		s.failed = undecided
		return last, true
	case matched > 0 || unsure > 0:
		return s.fail(undecided)
	case closed > 0:
		return s.fail(closedOut)
	}
	return s.fail(refused)
}
