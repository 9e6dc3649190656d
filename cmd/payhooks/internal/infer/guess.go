package infer

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/guess"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/webhook"
)

// guessStats is what the guesses need of the samples, gathered one at a
// time: for each top-level member of the first sample (a member in every
// sample is in the first), in how many it was a string, its distinct
// values while few enough to name events, and for a member named like an
// id whether a value repeated (from a 64-bit hash of each, 8 bytes a
// sample).
type guessStats struct {
	samples int
	members map[string]*memberStats
	// objects holds the top-level members that are an object in every
	// sample so far, with their members counted over all samples: the
	// subject is the largest.
	objects map[string]int
	seed    maphash.Seed
}

type memberStats struct {
	strings  int
	values   map[string]bool // nil once there are more than maxEvents
	hashes   map[uint64]bool // for a name like an id, until a value repeats
	repeated bool
}

// maxEvents bounds the values a discriminator may have: a member with more
// names no event but an instance (an id, a time).
const maxEvents = 1000

func newGuessStats() *guessStats {
	return &guessStats{members: map[string]*memberStats{}, objects: map[string]int{}, seed: maphash.MakeSeed()}
}

func (g *guessStats) add(doc map[string]any) {
	if g.samples == 0 {
		for name := range doc {
			m := &memberStats{values: map[string]bool{}}
			if guess.IDScore(name) > 0 {
				m.hashes = map[uint64]bool{}
			}
			g.members[name] = m
			if _, ok := doc[name].(map[string]any); ok {
				g.objects[name] = 0
			}
		}
	}
	g.samples++
	for name := range g.objects {
		obj, ok := doc[name].(map[string]any)
		if !ok {
			delete(g.objects, name) // not an object in every sample
			continue
		}
		g.objects[name] += len(obj)
	}
	for name, m := range g.members {
		v, ok := doc[name].(string)
		if !ok {
			delete(g.members, name) // not a string in every sample
			continue
		}
		m.strings++
		if m.values != nil && !m.values[v] {
			if m.values[v] = true; len(m.values) > maxEvents {
				m.values = nil
			}
		}
		if m.hashes != nil {
			h := maphash.String(g.seed, v)
			if m.hashes[h] {
				m.repeated, m.hashes = true, nil
			} else {
				m.hashes[h] = true
			}
		}
	}
}

// stringMembers lists the top-level members that are strings in every
// sample, sorted.
func (g *guessStats) stringMembers() []string { return slices.Sorted(maps.Keys(g.members)) }

// discriminator finds the top-level string member whose values split the
// samples into events: given, or guessed (not named like an id; a name that
// says "type", "event" or "kind" first, then the one with most values).
func discriminator(g *guessStats, given string) (string, string, error) {
	if given != "" {
		name, ok := jsonpointer.TopLevel(given)
		if !ok {
			return "", "", fmt.Errorf("-discriminator %q: give a top-level member as a pointer, such as /type", given)
		}
		return name, fmt.Sprintf("discriminator %s: given", given), nil
	}
	if g.samples == 0 {
		return "", "", fmt.Errorf("no samples")
	}
	best, bestScore, bestValues := "", -1, 0
	for _, name := range g.stringMembers() {
		m := g.members[name]
		if m.values == nil {
			continue // more values than events
		}
		values := len(m.values)
		hinted := guess.NamesEvents(name)
		if guess.IDScore(name) > 0 || g.samples > 1 && values == g.samples && !hinted {
			continue // named like an id, or one value per sample: an id, not an event
		}
		score := values
		if hinted {
			score += 1000
		}
		if score > bestScore || score == bestScore && len(name) < len(best) {
			best, bestScore, bestValues = name, score, values
		}
	}
	if best == "" {
		return "", "", fmt.Errorf("no top-level string member in every sample could name the events; pass -discriminator")
	}
	return best, fmt.Sprintf("discriminator /%s: a string in every sample, whose %s split the %s into events", jsonpointer.Escape(best), words.Count(bestValues, "value", "values"), words.Count(g.samples, "sample", "samples")), nil
}

// deliveryID finds the pointer to the member that identifies a delivery:
// given, or guessed (a string in every sample, never repeated, named id or
// like one).
func deliveryID(g *guessStats, disc, given string) (string, string, error) {
	switch {
	case given == webhook.BodyDeliveryID:
		return given, "delivery id: the SHA-256 of the body (given)", nil
	case given != "":
		name, ok := jsonpointer.TopLevel(given)
		if !ok {
			return "", "", fmt.Errorf("-delivery-id %q: give a top-level member as a pointer, such as /type", given)
		}
		return "/" + jsonpointer.Escape(name), fmt.Sprintf("delivery id %s: given", given), nil
	}
	best, bestScore := "", 0
	for _, name := range g.stringMembers() {
		m := g.members[name]
		if name == disc || m.hashes == nil || m.repeated {
			continue
		}
		if score := guess.IDScore(name); score > bestScore {
			best, bestScore = name, score
		}
	}
	if best == "" {
		return "", "", fmt.Errorf("no top-level member looks like a delivery id (a string in every sample, never repeated, named like an id); pass -delivery-id, or %q to key deliveries on their body", webhook.BodyDeliveryID)
	}
	ptr := "/" + jsonpointer.Escape(best)
	return ptr, fmt.Sprintf("delivery id %s: a string in every sample, never repeated, named like an id", ptr), nil
}
