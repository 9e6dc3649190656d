package webhook

// DecodeError is a value that cannot be represented in the Go type meant for
// it. Pointer is the RFC 6901 JSON pointer of the value in the payload.
type DecodeError struct {
	Pointer string
	Err     error
}

func (e *DecodeError) Error() string {
	p := e.Pointer
	if p == "" {
		p = "(root)"
	}
	return p + ": " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }
