package input

import "sync/atomic"

// A block is memory NDJSON lines are read into (lineReader). Under Run its
// lines go to the workers in batches, and the block is read into again
// once nothing needs it: refs counts the reader while it reads into it and
// each batch that holds one of its lines, until its results are emitted.
// Reused blocks spare a stream an allocation of its size, and so the
// garbage collector's runs (with their write barriers and preemption in
// the workers) that allocation would bring every few megabytes.
type block struct {
	data []byte
	refs atomic.Int32
}

// blocks are the blocks of one Run nothing needs any more; nil (Read) when
// a stream's lines must stay as they are for as long as the caller likes.
type blocks chan *block

// freeBlocks is how many unused blocks a Run keeps at most: as many as the
// batches in flight take, about.
const freeBlocks = 64

// get returns a block of lineBlock bytes with one reference (the reader's).
// Nothing says a reused block is zero: a line is only ever read into it.
func (bs blocks) get() *block {
	select {
	case b := <-bs:
		b.refs.Store(1)
		return b
	default:
	}
	return newBlock(lineBlock)
}

func newBlock(size int) *block {
	b := &block{data: make([]byte, size)}
	b.refs.Store(1)
	return b
}

// release drops one reference to b; the last one hands b back to bs for
// reuse, unless bs is nil or b is not of the usual size (one grown for a
// long line).
func (bs blocks) release(b *block) {
	if b == nil || b.refs.Add(-1) != 0 || bs == nil || len(b.data) != lineBlock {
		return
	}
	select {
	case bs <- b:
	default:
	}
}
