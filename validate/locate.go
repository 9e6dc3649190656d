package validate

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
)

// LineOf returns the line (from 1) on which the value at ptr starts in a
// well-formed JSON document, or the line of its nearest ancestor that exists
// (a missing property is reported where its object starts). On malformed
// input it answers the best line it found, never panics. It allocates
// nothing per value, so locating a finding in a payload of millions of
// values costs no more memory than a small one.
func LineOf(data []byte, ptr string) int {
	if bytes.IndexByte(data, '\n') < 0 {
		return 1 // a compact body, as most deliveries are: no need to walk it
	}
	var tokens []string
	if ptr != "" {
		tokens = strings.Split(strings.TrimPrefix(ptr, "/"), "/")
		for i, t := range tokens {
			tokens[i] = jsonpointer.Unescape(t)
		}
	}
	// A frame is an open container; matches says its own path is the
	// pointer's first len(stack) tokens, the only case where its members'
	// names and positions need comparing.
	type frame struct {
		object  bool
		matches bool
		key     []byte
		index   int
	}
	var stack []frame
	line, best, found, seen := 1, 1, 0, 0
	// valueMatches says whether the value starting now sits at the
	// pointer's first len(stack) tokens.
	valueMatches := func() bool {
		depth := len(stack)
		if depth == 0 {
			return true
		}
		top := stack[depth-1]
		if !top.matches || depth > len(tokens) {
			return false
		}
		if top.object {
			return string(top.key) == tokens[depth-1]
		}
		n, err := strconv.Atoi(tokens[depth-1])
		return err == nil && n == top.index
	}
	// A malformed document stops the walk: the best line found stands.
	_ = jsonscan.Walk(data, func(t jsonscan.Token) bool {
		line += bytes.Count(data[seen:t.Start], []byte{'\n'})
		seen = t.Start
		switch t.Kind {
		case jsonscan.Key:
			if top := &stack[len(stack)-1]; top.matches {
				top.key = jsonscan.Name(data[t.Start+1:t.End-1], t.Escaped)
			}
			return true
		case jsonscan.Close:
			stack = stack[:len(stack)-1]
			return true
		}
		if depth := len(stack); depth > 0 && !stack[depth-1].object {
			stack[depth-1].index++
		}
		matches := valueMatches()
		if matches {
			if len(stack) == len(tokens) {
				found = line
				return false
			}
			best = line
		}
		if t.Kind == jsonscan.Open {
			stack = append(stack, frame{object: t.Object, matches: matches, index: -1})
		}
		return true
	})
	if found > 0 {
		return found
	}
	return best
}
