// Package guess ranks the candidates for a provider's structural members,
// the event name, the delivery id and the subject, by their names and
// sizes: the one table schemas init (package infer, from sample payloads)
// and schemas import (package importer, from an OpenAPI document) both
// guess with. What counts as a candidate is theirs (a string in every
// sample whose values split them into events, or a property whose const
// names each webhook); how names and sizes rank candidates is written here.
package guess

import "strings"

// IDScore ranks how much a member's name says it identifies a delivery: 4
// for "id", 3 for an id of the webhook, notification, delivery or message
// itself, 2 for an event's id, 1 for any other "…_id" or "…Id", 0 for a name
// that is no id's.
func IDScore(name string) int {
	lower := strings.ToLower(name)
	switch {
	case lower == "id":
		return 4
	case strings.HasSuffix(lower, "id") && says(name, "webhook", "notification", "delivery", "message"):
		return 3 // names the delivery itself
	case strings.HasSuffix(lower, "id") && says(name, "event"):
		return 2
	case strings.HasSuffix(lower, "_id") || strings.HasSuffix(name, "Id"):
		return 1
	}
	return 0
}

// NamedID is the IDScore from which a name says "delivery id" on its own,
// for a guess with no values to show that it never repeats (an OpenAPI
// document's): an order_id is an id, but not the delivery's.
const NamedID = 2

// NamesEvents says a member's name says it names the event: it speaks of a
// type, an event or a kind.
func NamesEvents(name string) bool { return says(name, "type", "event", "kind") }

// Largest returns the candidate of the largest size, the subject of an
// event (data, event_detail, payload): the top-level object with the most
// members. It is "" when there is none, or no single largest.
func Largest(sizes map[string]int) string {
	best, bestSize, tie := "", -1, false
	for name, size := range sizes {
		switch {
		case size > bestSize:
			best, bestSize, tie = name, size, false
		case size == bestSize:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// says reports whether name holds one of the words, in any case.
func says(name string, words ...string) bool {
	lower := strings.ToLower(name)
	for _, w := range words {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}
