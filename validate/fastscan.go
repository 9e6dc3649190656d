package validate

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"

	"github.com/santhosh-tekuri/jsonschema/v5"
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
	findings []Finding
	inUnion  int
	// inDecided counts the unions whose variant the value's kind decided,
	// inside which only unknown properties are recorded.
	inDecided int
	// stop is where the walk met the first thing it could not judge,
	// outside union trials: the first problem the reference engine will
	// find, for a payload too large to hand it.
	stop    string
	stopped bool
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
func (s *scanner) note(f Finding) bool {
	if s.inUnion > 0 || s.inDecided > 0 && f.Kind != UnknownProperty {
		return false
	}
	s.findings = append(s.findings, f)
	return true
}

var scanners = sync.Pool{New: func() any { return &scanner{keys: make([][]byte, 0, 256), path: make([]step, 0, 32)} }}

// scan reports whether the fast engine could judge data against n, and the
// findings it classified (nil when clean). false means "ask the reference
// engine", not "invalid"; stop then says where the walk stopped.
func scan(n *cnode, data []byte) (findings []Finding, ok bool, stop string) {
	if !utf8.Valid(data) {
		return nil, false, ""
	}
	s := scanners.Get().(*scanner)
	s.data, s.keys, s.path, s.findings, s.inUnion, s.inDecided, s.stop, s.stopped = data, s.keys[:0], s.path[:0], nil, 0, 0, "", false
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
		return s.scalarDrift(n, kind, i, end)
	}
	if len(n.variants) > 0 {
		return s.union(n, kind, i, end, depth)
	}
	switch kind {
	case kindObject:
		return s.object(n, i, depth)
	case kindArray:
		return s.array(n.items, i, depth)
	case kindString:
		return s.str(n, i)
	}
	// A boolean, null or number: a string enum or const cannot hold it.
	if n.namesValues(kind, s.data[i:end]) {
		return 0, false
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

func literal(d []byte, i int, word string) int {
	if bytes.HasPrefix(d[i:], []byte(word)) {
		return i + len(word)
	}
	return 0
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

// str checks a string against the node's string keywords; on the first
// that fails, scalarDrift words all of them.
func (s *scanner) str(n *cnode, i int) (int, bool) {
	end, escaped, err := jsonscan.String(s.data, i)
	if err != nil {
		return 0, false
	}
	if !n.constrainsStrings() {
		return end, true
	}
	if escaped {
		return 0, false // an escaped value: the reference engine reads it
	}
	v := s.data[i+1 : end-1]
	for k := range n.checks {
		// A date the generated types may not hold (holds.go) is the
		// reference engine's to judge, whatever else is wrong with it.
		if c := &n.checks[k]; c.format == "date-time" && !dateTime(v) || c.dateTime && !localDateTime(v) {
			return 0, false
		}
	}
	for k := range n.checks {
		c := &n.checks[k]
		if c.constant != nil && string(v) != *c.constant ||
			c.enum != nil && !inEnum(c.enum, v) ||
			c.format != "" && !formatOK(c.format, v) ||
			!c.lengthOK(v) ||
			c.pattern != nil && !c.pattern.Match(v) {
			return s.scalarDrift(n, kindString, i, end)
		}
	}
	return end, true
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

// formatOK checks the formats the bundled schemas use byte by byte, never
// accepting what the engine's own check would refuse (so some valid
// values, a leap second say, go to the reference engine); any other format
// is the engine's own function.
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
	var found requiredSet
	i = jsonscan.SkipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1, n == nil || s.requiredFound(n, found)
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
			if p, ok := n.props[string(key)]; ok {
				child = p.node
				if p.bit >= 0 {
					found.add(p.bit)
				}
			} else if n.open {
				child = n.extra
			} else if n.anyDeclared {
				// An unknown property: reported, and its value, which no
				// schema describes, only checked for syntax.
				if !s.note(newFinding(s.pointer(key), UnknownProperty, "property %q is not in the schema", string(key))) {
					return 0, false
				}
			}
		}
		next, closed, ok := s.element(child, step{key: key}, i, depth, '}')
		switch {
		case !ok:
			return 0, false
		case closed:
			return next, n == nil || s.requiredFound(n, found)
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

// maxRequired is the most required properties of one object the fast
// engine tracks (Stripe marks a hundred of an invoice's required); an
// object with more goes to the reference engine.
const maxRequired = 256

// requiredSet holds which required properties an object has, by bit,
// without allocating.
type requiredSet [maxRequired / 64]uint64

func (r *requiredSet) add(bit int) { r[bit/64] |= 1 << (bit % 64) }

func (r *requiredSet) has(bit int) bool { return r[bit/64]&(1<<(bit%64)) != 0 }

// all reports whether bits 0 to n-1 are set.
func (r *requiredSet) all(n int) bool {
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

// requiredFound reports each required property the object lacks, as the
// reference engine words it; false only when it cannot (inside a union).
func (s *scanner) requiredFound(n *cnode, found requiredSet) bool {
	if found.all(len(n.required)) {
		return true
	}
	for bit, name := range n.required {
		if !found.has(bit) && !s.note(newFinding(s.pointer([]byte(name)), MissingRequired, "required property %q is missing", name)) {
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
// one, otherwise by the value's JSON kind: a single variant taking the kind
// is checked in the same pass; several are checked one by one on a scalar;
// a container several variants could take goes to the reference engine.
func (s *scanner) union(n *cnode, kind uint8, i, end, depth int) (int, bool) {
	if kind == kindObject && n.tag != "" {
		v := s.taggedVariant(n, i)
		if v == nil {
			return 0, false
		}
		s.inUnion++
		defer func() { s.inUnion-- }()
		return s.value(v, i, depth+1)
	}
	var candidates [8]*cnode
	count := 0
	for _, v := range n.variants {
		if v.types == 0 || v.types&kind != 0 {
			if count == len(candidates) {
				return 0, false
			}
			candidates[count] = v
			count++
		}
	}
	if count == 1 {
		// The one variant of the value's kind (Stripe's nullable objects,
		// anyOf [object, null]): the value is that variant's or none's. A
		// member it does not declare is the unknown_property the
		// reference engine reports there too (it picks the variant the
		// same way, variantFor); anything else is the reference engine's
		// to word.
		s.inDecided++
		defer func() { s.inDecided-- }()
		return s.value(candidates[0], i, depth+1)
	}
	s.inUnion++
	defer func() { s.inUnion-- }()
	switch {
	case count == 0:
		return 0, false
	case kind == kindObject || kind == kindArray:
		return 0, false
	}
	matched, last := 0, 0
	for _, v := range candidates[:count] {
		if e, ok := s.value(v, i, depth+1); ok {
			matched, last = matched+1, e
		}
	}
	if matched == 0 || (n.oneOf && matched > 1) {
		return 0, false
	}
	return last, true
}
