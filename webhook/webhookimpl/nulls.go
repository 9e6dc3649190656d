package webhookimpl

// Nulls remembers which optional properties arrived as an explicit null,
// by the field's index in its struct, so that re-encoding writes null
// rather than leaving them out. The zero value is empty and ready to use;
// it allocates only for a struct of more than 64 fields.
type Nulls struct {
	low  uint64
	high []uint64
}

// Set records that field i arrived as null.
func (n *Nulls) Set(i int) {
	if i < 64 {
		n.low |= 1 << i
		return
	}
	i -= 64
	for len(n.high) <= i/64 {
		n.high = append(n.high, 0)
	}
	n.high[i/64] |= 1 << (i % 64)
}

// Has reports whether field i arrived as null.
func (n Nulls) Has(i int) bool {
	if i < 64 {
		return n.low&(1<<i) != 0
	}
	i -= 64
	return i/64 < len(n.high) && n.high[i/64]&(1<<(i%64)) != 0
}
