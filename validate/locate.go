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
	line, best := 1, 1
	expectValue, expectKey := true, false
	// valueMatches says whether the value about to start sits at the
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
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
			continue
		case ' ', '\t', '\r', ':':
			continue
		}
		if expectValue && c != ']' {
			matches := valueMatches()
			if matches {
				if len(stack) == len(tokens) {
					return line
				}
				best = line
			}
			expectValue = false
			switch c {
			case '{':
				stack = append(stack, frame{object: true, matches: matches})
				expectKey = true
				continue
			case '[':
				stack = append(stack, frame{matches: matches})
				expectValue = true
				continue
			case '"':
				i, _ = stringEnd(data, i)
				continue
			}
			continue
		}
		switch c {
		case '"':
			end, escaped := stringEnd(data, i)
			if expectKey {
				if top := &stack[len(stack)-1]; top.matches {
					top.key = jsonscan.Name(data[i+1:end], escaped)
				}
				expectKey = false
				expectValue = true
			}
			i = end
		case ',':
			if len(stack) == 0 {
				return best // past the document: malformed input
			}
			top := &stack[len(stack)-1]
			if top.object {
				expectKey = true
			} else {
				top.index++
				expectValue = true
			}
		case '}', ']':
			if len(stack) == 0 {
				return best
			}
			stack = stack[:len(stack)-1]
			expectValue, expectKey = false, false
		}
	}
	return best
}
