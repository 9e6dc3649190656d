package input

import (
	"github.com/payhooks/payhooks/validate"
	"io"
	"runtime"
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

// Run reads paths with Read, checks every payload with v in parallel and
// calls emit with each result in input order. Results whose payload could
// not be read carry Err and no findings (a *Skipped Err for a file read on
// purpose: a note, not a failure).
// At most a few payloads per worker are in memory at once, however large the
// input. Run stops early when emit returns an error and returns it.
func Run(v *validate.Validator, paths []string, stdin io.Reader, opts RunOptions, emit func(validate.Result) error) error {
	workers := opts.Workers
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		payload validate.Payload
		out     chan validate.Result
	}
	jobs := make(chan job, workers)
	order := make(chan chan validate.Result, 2*workers)
	stop := make(chan struct{})
	readErr := make(chan error, 1)

	go func() {
		defer close(order)
		defer close(jobs)
		readErr <- ReadWith(paths, stdin, opts.Read, func(p validate.Payload) error {
			if opts.Provider != "" {
				p.Provider = opts.Provider
			}
			if opts.Event != "" {
				p.Event = opts.Event
			}
			j := job{payload: p, out: make(chan validate.Result, 1)}
			select {
			case order <- j.out:
			case <-stop:
				return errStopped
			}
			select {
			case jobs <- j:
			case <-stop:
				return errStopped
			}
			return nil
		})
	}()
	for i := 0; i < workers; i++ {
		go func() {
			for j := range jobs {
				j.out <- v.Check(j.payload)
			}
		}()
	}
	var emitErr error
	for out := range order {
		r := <-out
		if emitErr == nil {
			if emitErr = emit(r); emitErr != nil {
				close(stop)
			}
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
