package webhookimpl

// Nulls remembers, by slot, which optional properties arrived as something
// that decodes to nothing: an explicit null (the slot is the field's index
// in its struct) or, for a map, an empty object (a slot past the fields':
// the map stays nil, which costs no allocation), so that re-encoding writes
// null or {} rather than leaving them out. A struct of up to 64 slots holds
// a Nulls, a larger one ManyNulls; the zero value of either is empty and
// ready to use.
type Nulls uint64

// Set records slot i, which is below 64.
func (n *Nulls) Set(i int) { *n |= 1 << i }

// Has reports whether slot i was recorded.
func (n Nulls) Has(i int) bool { return n&(1<<i) != 0 }

// ManyNulls is Nulls for a struct of more than 64 slots; it allocates
// when a slot from 64 on is set.
type ManyNulls struct {
	low  Nulls
	high []uint64
}

// Set records slot i.
func (n *ManyNulls) Set(i int) {
	if i < 64 {
		n.low.Set(i)
		return
	}
	i -= 64
	for len(n.high) <= i/64 {
		n.high = append(n.high, 0)
	}
	n.high[i/64] |= 1 << (i % 64)
}

// Has reports whether slot i was recorded.
func (n ManyNulls) Has(i int) bool {
	if i < 64 {
		return n.low.Has(i)
	}
	i -= 64
	return i/64 < len(n.high) && n.high[i/64]&(1<<(i%64)) != 0
}
