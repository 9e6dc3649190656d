package input

import (
	"io"
	"runtime"

	"github.com/payhooks/payhooks/validate"
)

// RunOptions tunes Run.
type RunOptions struct {
	// Workers is how many payloads are checked at once (GOMAXPROCS when < 1).
	Workers int
	// Provider and Event, when set, override detection for every payload.
	Provider, Event string
	// Read selects what s3:// paths read.
	Read ReadOptions
}

// A batch is what Run hands a worker at a time: up to batchPayloads
// payloads or batchBytes of them, fewer when reading would wait.
const (
	batchPayloads = 128
	batchBytes    = 1 << 20
)

// Run reads paths with Read, checks every payload with v in parallel and
// calls emit with each result in input order. Results whose payload could
// not be read carry Err and no findings (a *Skipped Err for a file read on
// purpose: a note, not a failure). Payloads go to the workers in
// batches, so that a payload of a few microseconds' work does not cost a
// hand-off between goroutines of its own; a batch goes out when it is full,
// or before a read that may wait (stdin, a pipe), so a stream's results
// come as soon as its payloads do. At most a few batches per worker are in
// memory at once, however large the input. Run stops early when emit
// returns an error and returns it.
func Run(v *validate.Validator, paths []string, stdin io.Reader, opts RunOptions, emit func(validate.Result) error) error {
	workers := opts.Workers
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		payloads []validate.Payload
		out      chan []validate.Result
		blocks   []*block // those of the payloads' lines, released once their results are out
	}
	jobs := make(chan job, workers)
	order := make(chan job, 2*workers)
	free := make(blocks, freeBlocks)
	stop := make(chan struct{})
	readErr := make(chan error, 1)

	go func() {
		defer close(order)
		defer close(jobs)
		batch, size := make([]validate.Payload, 0, batchPayloads), 0
		var held []*block
		send := func() error {
			if len(batch) == 0 {
				return nil
			}
			j := job{payloads: batch, out: make(chan []validate.Result, 1), blocks: held}
			batch, size, held = make([]validate.Payload, 0, batchPayloads), 0, nil
			select {
			case order <- j:
			case <-stop:
				return errStopped
			}
			select {
			case jobs <- j:
			case <-stop:
				return errStopped
			}
			return nil
		}
		hold := func(b *block) {
			if len(held) == 0 || held[len(held)-1] != b {
				b.refs.Add(1)
				held = append(held, b)
			}
		}
		err := read(paths, stdin, opts.Read, reader{wait: send, free: free, hold: hold, yield: func(p validate.Payload) error {
			if opts.Provider != "" {
				p.Provider = opts.Provider
			}
			if opts.Event != "" {
				p.Event = opts.Event
			}
			batch, size = append(batch, p), size+len(p.Body)
			if len(batch) == batchPayloads || size >= batchBytes {
				return send()
			}
			return nil
		}})
		if err == nil {
			err = send()
		}
		readErr <- err
	}()
	for i := 0; i < workers; i++ {
		go func() {
			for j := range jobs {
				results := make([]validate.Result, len(j.payloads))
				for k, p := range j.payloads {
					results[k] = v.Check(p)
				}
				j.out <- results
			}
		}()
	}
	var emitErr error
	for j := range order {
		for _, r := range <-j.out {
			if emitErr == nil {
				if emitErr = emit(r); emitErr != nil {
					close(stop)
				}
			}
		}
		// Its payloads are checked and their results out: nothing reads
		// the lines any more.
		for _, b := range j.blocks {
			free.release(b)
		}
	}
	if err := <-readErr; err != nil && err != errStopped {
		return err
	}
	return emitErr
}

type stopError struct{}

func (stopError) Error() string { return "stopped" }

var errStopped error = stopError{}
