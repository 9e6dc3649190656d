package webhookimpl

import (
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
)

// Body is a delivery's bytes as ParseEvent takes them.
type Body struct {
	Data []byte
	// Owned says the caller hands Data over and nothing writes to it
	// again, as a generated handler does with the body it read: the event's
	// strings and raw values then share Data rather than a copy of it.
	// Parse, whose caller may reuse its buffer, does not.
	Owned bool
	// NoID says the caller has no use for Parsed.ID (Parse), which is then
	// left empty: a provider's id may be the SHA-256 of the whole body.
	NoID bool
}

// Keep returns the bytes for a value that outlives the call (an unknown
// event's body): Data itself when owned, else a copy.
func (b Body) Keep() []byte {
	if b.shared() {
		return b.Data[:len(b.Data):len(b.Data)]
	}
	return append([]byte(nil), b.Data...)
}

// shared says the decoded values may share Data: it is owned, and not a
// buffer much larger than the body, which they would keep alive.
func (b Body) shared() bool { return b.Owned && cap(b.Data) <= 2*len(b.Data)+512 }

// Parsed is a decoded delivery.
type Parsed[E any] struct {
	Event E
	// Name is the event's name, ID the delivery id; "" when there is none.
	Name, ID string
	// Known says Event is one of the provider's event types.
	Known bool
}

// ParseEvent decodes a delivery received on path, addressed as a says:
// decode, generated per provider, decodes the event a name selects and says
// whether it knows it.
//
// The event name and the delivery id are the ones a.Event and a.ID give
// (a.Choose decides between body and path), read without passes over the
// whole body before the decode: a top-level name is taken from the end of
// the body when it is the last member there (as Adyen sends it), else at
// its first occurrence; the decode counts the name's occurrences and notes
// where the last one and the delivery id are, and only when the name
// repeats, no known event was decoded, or the id was not met, is the body
// read again.
func ParseEvent[E any](in Body, path string, a webhook.Addressing, decode func(d *Decoder, name string) (E, bool, error)) (Parsed[E], error) {
	d := eventDecoder(in, a)
	defer d.Release()
	if p, ok := parseNamedLast(d, in, path, a, decode); ok {
		return p, nil
	}
	d.restart()
	return parseNamedFirst(d, in, path, a, decode)
}

// parseNamedFirst is ParseEvent reading the name at its first occurrence
// (or at its pointer, below the top level), and again when the decode
// found it repeated.
func parseNamedFirst[E any](d *Decoder, in Body, path string, a webhook.Addressing, decode func(d *Decoder, name string) (E, bool, error)) (Parsed[E], error) {
	var p Parsed[E]
	var member webhook.EventMember
	var onlyFirst bool
	if tok, ok := jsonpointer.TopLevel(a.EventPointer); ok {
		d.watch, onlyFirst = tok, true
		member = d.firstMember(tok)
	} else if a.EventPointer != "" {
		member = d.eventMember(jsonscan.Lookup(d.data, a.EventPointer))
	}
	name, err := a.Choose(path, member)
	if err != nil && onlyFirst {
		// The path refuses the first of the name's occurrences, but the
		// last one is what counts.
		if last := d.eventMember(jsonscan.Lookup(d.data, a.EventPointer)); last != member {
			member = last
			name, err = a.Choose(path, member)
		}
	}
	if err != nil {
		p.Name, p.ID = member.Name, d.id(false, a)
		return p, err
	}
	p.Name = name
	p.Event, p.Known, err = decodeWhole(d, name, decode)
	if onlyFirst && (!p.Known || d.watched > 1) {
		// Decoded from the first of several names, or not decoded at all:
		// read the name in full, and decode again if it is another.
		if last := d.eventMember(jsonscan.Lookup(in.Data, a.EventPointer)); last != member {
			if name, err = a.Choose(path, last); err != nil {
				p.Name = last.Name
				return p, err
			}
			d.restart()
			p.Name = name
			p.Event, p.Known, err = decodeWhole(d, name, decode)
		}
	}
	p.ID = d.id(err == nil && p.Known, a)
	return p, err
}

// parseNamedLast is ParseEvent for a body whose last member is the event
// name, guessed from the end (jsonscan.LastMember) rather than found by a
// pass over everything before it. ok says the decode confirmed the guess:
// it met the name once, at the top level, where the guess put it, and
// decoded a known event without error. Anything else, parseNamedFirst
// decides, so the answer is the same with or without the guess.
func parseNamedLast[E any](d *Decoder, in Body, path string, a webhook.Addressing, decode func(d *Decoder, name string) (E, bool, error)) (p Parsed[E], ok bool) {
	tok, topLevel := jsonpointer.TopLevel(a.EventPointer)
	if !topLevel {
		return p, false
	}
	start, end, guessed := jsonscan.LastMember(in.Data, tok)
	if !guessed {
		return p, false
	}
	d.watch = tok
	name, err := a.Choose(path, d.eventMember(start, end, nil))
	if err != nil {
		return p, false
	}
	event, known, err := decodeWhole(d, name, decode)
	if err != nil || !known || d.watched != 1 || d.watchAt != start {
		return p, false
	}
	return Parsed[E]{Event: event, Name: name, ID: d.id(true, a), Known: true}, true
}

// eventDecoder returns a decoder at the start of in that notes where it
// meets the delivery id, unless in.NoID.
func eventDecoder(in Body, a webhook.Addressing) *Decoder {
	d := newDecoder(in)
	if in.NoID {
		d.noID = true
	} else {
		d.idName, _ = jsonpointer.TopLevel(a.DeliveryID)
	}
	return d
}

// restart puts the decoder back at the start of its data, to decode it
// again: the same body, the same store.
func (d *Decoder) restart() {
	d.pos, d.first, d.depth, d.err, d.name = 0, false, 0, nil, ""
	d.watch, d.watched, d.watchAt, d.idAt = "", 0, -1, -1
}

// decodeWhole decodes the document as the event name selects, then checks
// nothing follows it.
func decodeWhole[E any](d *Decoder, name string, decode func(*Decoder, string) (E, bool, error)) (E, bool, error) {
	event, known, err := decode(d, name)
	if known && err == nil {
		err = d.End()
	}
	return event, known, err
}

// firstMember returns the first top-level member called name.
func (d *Decoder) firstMember(name string) webhook.EventMember {
	start, end, ok := jsonscan.First(d.data, name)
	if !ok {
		return webhook.EventMember{}
	}
	return d.eventMember(start, end, nil)
}

// eventMember reads the member at data[start:end] (none when err is set,
// as jsonscan.Lookup says of a member it did not find).
func (d *Decoder) eventMember(start, end int, err error) webhook.EventMember {
	if err != nil {
		return webhook.EventMember{}
	}
	m := webhook.EventMember{Kind: string(jsonscan.KindOf(d.data[start:end]))}
	m.Name, _ = d.stringAt(start, end)
	return m
}

// id is the delivery id: the string the decode met last at the top-level
// member idName, when decoded says it went through the whole document, else
// read from the document; "" when the caller wants none (Body.NoID).
func (d *Decoder) id(decoded bool, a webhook.Addressing) string {
	if d.noID {
		return ""
	}
	if decoded && d.idName != "" && d.idAt >= 0 && d.idAt < len(d.data) && d.data[d.idAt] == '"' {
		if s, _, err := d.text(d.idAt); err == nil {
			return s
		}
	}
	id, _ := a.ID(d.data)
	return id
}
