package learn

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/infer"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
)

// Edit is one change to one schema file, as an RFC 6902 operation: add
// (a member, an array item at "-", or with Path "" a new file), replace,
// or remove.
type Edit struct {
	File  string `json:"file"`
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// PatchOp is Edit without its file, as a JSON Patch writes it.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// Patches groups edits into one JSON Patch per file, in the order Apply
// applies them.
func Patches(edits []Edit) map[string][]PatchOp {
	out := map[string][]PatchOp{}
	for _, e := range ordered(edits) {
		out[e.File] = append(out[e.File], PatchOp{Op: e.Op, Path: e.Path, Value: e.Value})
	}
	return out
}

// ordered sorts edits so that applying them one after another is right:
// by file, adds and replaces first, removals from the highest array index
// down (each one's index still names its item).
func ordered(edits []Edit) []Edit {
	out := slices.Clone(edits)
	slices.SortStableFunc(out, func(a, b Edit) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		ra, rb := a.Op == "remove", b.Op == "remove"
		switch {
		case ra && rb:
			pa, ia := splitIndex(a.Path)
			pb, ib := splitIndex(b.Path)
			if c := strings.Compare(pa, pb); c != 0 {
				return c
			}
			return cmp.Compare(ib, ia)
		case ra:
			return 1
		case rb:
			return -1
		}
		return 0
	})
	return out
}

// splitIndex splits an array item's pointer into the array's and the index.
func splitIndex(ptr string) (string, int) {
	array, token := parent(ptr)
	n, _ := strconv.Atoi(token)
	return array, n
}

// apply splices the edits of one file into its bytes, leaving every other
// byte as it was: the diff a reviewer reads is the change alone. A new
// file (add at "") is written as the bundled schemas are.
func apply(data []byte, edits []Edit) ([]byte, error) {
	for _, e := range edits {
		var err error
		switch {
		case e.Op == "add" && e.Path == "":
			data, err = infer.Indent(e.Value)
		case e.Op == "add":
			data, err = spliceAdd(data, e.Path, e.Value)
		case e.Op == "replace":
			data, err = spliceReplace(data, e.Path, e.Value)
		case e.Op == "remove":
			data, err = spliceRemove(data, e.Path)
		default:
			err = fmt.Errorf("unknown op %q", e.Op)
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", e.Op, e.Path, err)
		}
	}
	return data, nil
}

// parent splits a pointer into its container's pointer and last token.
func parent(ptr string) (string, string) {
	i := strings.LastIndexByte(ptr, '/')
	return ptr[:i], jsonpointer.Unescape(ptr[i+1:])
}

// spliceAdd adds a member to an object, or with "-" an item to an array.
func spliceAdd(data []byte, ptr string, value any) ([]byte, error) {
	container, token := parent(ptr)
	start, end, err := jsonscan.Lookup(data, container)
	if err != nil {
		return nil, err
	}
	// item renders the new member or item, indented for its line, or on
	// one line for a container written on one.
	item := func(indent string, oneLine bool) ([]byte, error) {
		v, err := infer.IndentAt(value, indent)
		if err == nil && oneLine {
			v, err = compact(v)
		}
		if err != nil || data[start] == '[' {
			return v, err
		}
		key, err := infer.IndentAt(token, "")
		return append(append(key, ": "...), v...), err
	}
	if data[start] == '[' && token != "-" || data[start] == '{' && token == "-" {
		return nil, fmt.Errorf("cannot add %q to %s", token, jsonscan.KindOf(data[start:end]))
	}
	closing := end - 1
	last := start + len(bytes.TrimRight(data[start+1:closing], " \t\r\n")) // the last byte before the closing one
	empty := last == start
	multiline := bytes.IndexByte(data[start:end], '\n') >= 0
	outer := lineIndent(data, start)
	var text []byte
	switch {
	case empty:
		inner := outer + "  "
		v, err := item(inner, false)
		if err != nil {
			return nil, err
		}
		text = slices.Concat([]byte("\n"+inner), v, []byte("\n"+outer))
		return slices.Concat(data[:start+1], text, data[closing:]), nil
	case multiline:
		inner := lineIndent(data, last)
		v, err := item(inner, false)
		if err != nil {
			return nil, err
		}
		text = slices.Concat([]byte(",\n"+inner), v)
	default:
		v, err := item("", true)
		if err != nil {
			return nil, err
		}
		text = slices.Concat([]byte(", "), v)
	}
	return slices.Concat(data[:last+1], text, data[last+1:]), nil
}

// compact writes a JSON value on one line, for a container written on
// one: ", " between items and ": " after names, as such lines are written.
func compact(v []byte) ([]byte, error) {
	var flat bytes.Buffer
	if err := json.Compact(&flat, v); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	inString := false
	for i, c := range flat.Bytes() {
		b.WriteByte(c)
		switch {
		case c == '"' && !escapedAt(flat.Bytes(), i):
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			b.WriteByte(' ')
		}
	}
	return b.Bytes(), nil
}

// escapedAt reports whether the quote at i is escaped by an odd run of
// backslashes.
func escapedAt(data []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// spliceReplace writes value over the value at ptr.
func spliceReplace(data []byte, ptr string, value any) ([]byte, error) {
	start, end, err := jsonscan.Lookup(data, ptr)
	if err != nil {
		return nil, err
	}
	v, err := infer.IndentAt(value, lineIndent(data, start))
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(data[start:end], []byte("\n")) && lineIsContainer(data, start) {
		if v, err = compact(v); err != nil {
			return nil, err
		}
	}
	return slices.Concat(data[:start], v, data[end:]), nil
}

// spliceRemove removes an array item or an object member, with the comma
// and the space that separated it from its neighbour.
func spliceRemove(data []byte, ptr string) ([]byte, error) {
	container, token := parent(ptr)
	start, end, err := jsonscan.Lookup(data, container)
	if err != nil {
		return nil, err
	}
	inner := data[start:end]
	var items [][2]int // each element's byte range in data
	index := -1
	switch inner[0] {
	case '[':
		if index, err = strconv.Atoi(token); err != nil {
			return nil, fmt.Errorf("%q is not an array index", token)
		}
		err = jsonscan.EachItem(inner, func(s, e int) bool {
			items = append(items, [2]int{start + s, start + e})
			return true
		})
	case '{':
		err = jsonscan.EachMember(inner, func(key []byte, escaped bool, _, e int) bool {
			if string(jsonscan.Name(key, escaped)) == token {
				index = len(items)
			}
			// key is a slice of inner: its opening quote is just before it.
			items = append(items, [2]int{start + cap(inner) - cap(key) - 1, start + e})
			return true
		})
	}
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(items) {
		return nil, fmt.Errorf("no %q to remove", token)
	}
	from, to := items[index][0], items[index][1]
	switch {
	case len(items) == 1:
		from, to = start+1, end-1
	case index < len(items)-1:
		to = items[index+1][0]
	default:
		from = items[index-1][1]
	}
	return slices.Concat(data[:from], data[to:]), nil
}

// lineIsContainer reports whether the value at i shares its line with
// other members (as in {"type": "integer", "minimum": 0}): a value
// replaced there stays on one line.
func lineIsContainer(data []byte, i int) bool {
	begin := bytes.LastIndexByte(data[:i], '\n') + 1
	end := bytes.IndexByte(data[i:], '\n')
	if end < 0 {
		end = len(data) - i
	}
	line := bytes.TrimSpace(data[begin : i+end])
	return bytes.Count(line, []byte(":")) > 1 || line[0] == '{' || line[0] == '['
}

// lineIndent is the leading white space of the line holding byte i.
func lineIndent(data []byte, i int) string {
	begin := bytes.LastIndexByte(data[:i], '\n') + 1
	end := begin
	for end < len(data) && (data[end] == ' ' || data[end] == '\t') {
		end++
	}
	return string(data[begin:end])
}
