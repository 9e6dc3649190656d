package validate

import (
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// lineOf returns the line (from 1) on which the value at ptr starts in a
// well-formed JSON document, or the line of its nearest ancestor that exists
// (a missing property is reported where its object starts).
func lineOf(data []byte, ptr string) int {
	type frame struct {
		object bool
		path   string
		key    string
		index  int
	}
	var stack []frame
	line, best := 1, 1
	expectValue, expectKey := true, false
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if top.object {
			return top.path + "/" + jsonpointer.Escape(top.key)
		}
		return top.path + "/" + strconv.Itoa(top.index)
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
			p := valuePath()
			if p == ptr {
				return line
			}
			if strings.HasPrefix(ptr, p+"/") {
				best = line
			}
			expectValue = false
			switch c {
			case '{':
				stack = append(stack, frame{object: true, path: p})
				expectKey = true
				continue
			case '[':
				stack = append(stack, frame{path: p})
				expectValue = true
				continue
			case '"':
				i = stringEnd(data, i)
				continue
			}
			continue
		}
		switch c {
		case '"':
			end := stringEnd(data, i)
			if expectKey {
				stack[len(stack)-1].key = string(keyText(data[i : end+1]))
				expectKey = false
				expectValue = true
			}
			i = end
		case ',':
			top := &stack[len(stack)-1]
			if top.object {
				expectKey = true
			} else {
				top.index++
				expectValue = true
			}
		case '}', ']':
			stack = stack[:len(stack)-1]
			expectValue, expectKey = false, false
		}
	}
	return best
}
