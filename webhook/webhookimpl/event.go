package webhookimpl

import (
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
)

// ParseEvent decodes a delivery whose body names its event at pointer.
// choose, for providers that also name the event in the request path,
// turns the body's name (named: whether there is one) into the event's
// (webhook.ChooseEvent); nil takes the body's. decode, generated per
// provider, decodes the event the name selects and says whether it knows
// it.
//
// The name is read as encoding/json reads it, the last of repeated names
// winning, but without a pass over the whole body first: a top-level
// discriminator is taken at its first occurrence, the decode counts any
// other, and only then, or when no known event was decoded, is the name
// read again in full.
func ParseEvent[E any](body []byte, pointer string, choose func(fromBody string, named bool) (string, error), decode func(d *Decoder, name string) (E, bool, error)) (event E, name string, known bool, err error) {
	d := NewDecoder(body)
	var fromBody string
	var named, onlyFirst bool
	if tok := strings.TrimPrefix(pointer, "/"); tok != "" && !strings.Contains(tok, "/") {
		d.watch, onlyFirst = jsonpointer.Unescape(tok), true
		fromBody, named = d.firstMember(d.watch)
	} else {
		fromBody, named = d.StringAt(pointer)
	}
	if name, err = chooseName(choose, fromBody, named); err != nil {
		return event, "", false, err
	}
	event, known, err = DecodeEvent(d, name, decode)
	if onlyFirst && (!known || d.watched > 1) {
		// Decoded from the first of several names, or not decoded at all:
		// read the name in full, and decode again if it is another.
		if last, lastNamed := NewDecoder(body).StringAt(pointer); last != fromBody || lastNamed != named {
			if name, err = chooseName(choose, last, lastNamed); err != nil {
				return event, "", false, err
			}
			event, known, err = DecodeEvent(NewDecoder(body), name, decode)
		}
	}
	return event, name, known, err
}

func chooseName(choose func(string, bool) (string, error), fromBody string, named bool) (string, error) {
	if choose == nil {
		return fromBody, nil
	}
	return choose(fromBody, named)
}

// DecodeEvent decodes the document as the event name selects, then checks
// nothing follows it.
func DecodeEvent[E any](d *Decoder, name string, decode func(*Decoder, string) (E, bool, error)) (E, bool, error) {
	event, known, err := decode(d, name)
	if known && err == nil {
		err = d.End()
	}
	return event, known, err
}

// firstMember returns the first top-level member called name, and whether
// it is a string.
func (d *Decoder) firstMember(name string) (value string, ok bool) {
	_ = jsonscan.EachMember(d.data, func(key []byte, escaped bool, start, end int) bool {
		if string(jsonscan.Name(key, escaped)) != name {
			return true
		}
		value, ok = d.stringAt(start, end)
		return false
	})
	return value, ok
}
