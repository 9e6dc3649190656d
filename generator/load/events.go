package load

import (
	"errors"
	"fmt"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
)

// EventsError is Load's error for Options.Events: a pattern that is not
// one, one that matches no event of the provider, or a selection without
// exactly one provider to apply to.
type EventsError struct{ Err error }

func (e *EventsError) Error() string { return e.Err.Error() }
func (e *EventsError) Unwrap() error { return e.Err }

// selectEvents returns p with only the events the patterns match: an event
// name, or a prefix followed by "*" ("payment_intent.*"; "*" alone matches
// every event). Every pattern must match an event; the events keep their
// order.
func selectEvents(p *catalog.Provider, patterns []string) (*catalog.Provider, error) {
	matched := make([]bool, len(p.Events))
	for _, pattern := range patterns {
		prefix, wildcard := strings.CutSuffix(pattern, "*")
		switch {
		case pattern == "":
			return nil, &EventsError{errors.New("an empty event name; list names separated by commas")}
		case strings.Contains(prefix, "*"):
			return nil, &EventsError{fmt.Errorf("%q: \"*\" may only end a pattern (a prefix such as \"payment_intent.*\")", pattern)}
		}
		found := false
		for i, e := range p.Events {
			if e.Name == pattern || wildcard && strings.HasPrefix(e.Name, prefix) {
				matched[i], found = true, true
			}
		}
		if !found {
			return nil, &EventsError{fmt.Errorf("%q matches no event of provider %q%s", pattern, p.Name, nearEvents(p, prefix))}
		}
	}
	chosen := *p
	chosen.Events = nil
	for i, e := range p.Events {
		if matched[i] {
			chosen.Events = append(chosen.Events, e)
		}
	}
	return &chosen, nil
}

// nearEvents names, for a pattern that matched nothing, the events that
// share its first word ("payment_intent" of "payment_intent.succeded"), or
// else the provider's events, a dozen at most.
func nearEvents(p *catalog.Provider, name string) string {
	const most = 12
	word, _, _ := strings.Cut(name, ".")
	var near, all []string
	for _, e := range p.Events {
		all = append(all, e.Name)
		if first, _, _ := strings.Cut(e.Name, "."); strings.EqualFold(first, word) {
			near = append(near, e.Name)
		}
	}
	what := "near"
	if len(near) == 0 {
		what, near = "its events", all
	}
	if len(near) > most {
		near = append(near[:most:most], fmt.Sprintf("… (%d in all)", len(near)))
	}
	return fmt.Sprintf(" (%s: %s)", what, strings.Join(near, ", "))
}
