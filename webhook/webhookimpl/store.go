package webhookimpl

import (
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// store is where a decoder puts what decoded values keep apart from their
// own structs: the bytes of strings and raw values copied out of a buffer
// the caller reuses (the arena), and the targets of optional scalars'
// pointers (the slabs). Each is a chunk handed out front to back and never
// written twice, so a chunk's unused room can serve the next decode:
// decoders are pooled with their stores, and a run of Parse calls costs in
// allocated bytes about what its values keep, not a fresh chunk's slack
// each time. The price is that a decoded value keeps alive the chunks it
// lies in, which it may share with values decoded before and after it on
// the same pooled decoder: at most arenaChunk bytes of arena and
// slabBytes of each slab beyond its own (and, through a slab of strings,
// the arena chunks those strings lie in).
type store struct {
	arena   []byte          // kept strings and raw values
	strings slab[string]    // strings, the types over them, and Decimals
	words   slab[uint64]    // integers, booleans and the types over them
	times   slab[time.Time] // optional RFC 3339 times
	// scratch holds, by item type, a slice arrays are decoded into before
	// they are copied into one of their exact length (DecodeSlice).
	scratch map[reflect.Type]any
}

// arenaChunk is the arena's chunk; a value larger than a quarter of it
// gets an allocation of its own, leaving the chunk's room for the next.
const arenaChunk = 4 << 10

// slabBytes is about the size of a slab's chunk.
const slabBytes = 512

// decoders holds decoders between decodes, with their stores.
var decoders = sync.Pool{New: func() any { return new(Decoder) }}

// arenaAppend returns n bytes at the end of the arena, capped so that an
// append to them copies.
func (d *Decoder) arenaAppend(n int) []byte {
	if cap(d.arena)-len(d.arena) < n {
		if n > arenaChunk/4 {
			return make([]byte, n)
		}
		d.arena = make([]byte, 0, arenaChunk)
	}
	i := len(d.arena)
	d.arena = d.arena[:i+n]
	return d.arena[i : i+n : i+n]
}

// slab hands out pointers to values of one type from chunks, so optional
// scalars cost one allocation per chunk rather than one each.
type slab[T any] struct{ items []T }

func (s *slab[T]) next() *T {
	if len(s.items) == cap(s.items) {
		s.items = make([]T, 0, max(16, slabBytes/int(unsafe.Sizeof(*new(T)))))
	}
	s.items = s.items[:len(s.items)+1]
	return &s.items[len(s.items)-1]
}

// scratchBytes bounds the scratch a decoder keeps for one item type: an
// array that outgrows it is decoded as well, into a scratch then dropped.
const scratchBytes = 16 << 10

// takeScratch returns the decoder's scratch for arrays of T, empty, and
// takes it from the decoder while the array is decoded: an array of T
// inside an item gets another.
func takeScratch[T any](d *Decoder) *[]T {
	key := reflect.TypeFor[T]()
	if p, ok := d.scratch[key].(*[]T); ok && p != nil {
		d.scratch[key] = nil
		return p
	}
	s := make([]T, 0, max(1, min(8, 128/max(1, int(unsafe.Sizeof(*new(T)))))))
	return &s
}

// giveScratch clears s, the scratch p held, whose items the caller has
// copied, and keeps it for the next array of T unless it grew past
// scratchBytes.
func giveScratch[T any](d *Decoder, p *[]T, s []T) {
	clear(s)
	if uintptr(cap(s))*unsafe.Sizeof(*new(T)) > scratchBytes {
		return
	}
	if d.scratch == nil {
		d.scratch = map[reflect.Type]any{}
	}
	*p = s[:0]
	d.scratch[reflect.TypeFor[T]()] = p
}
