package input

import (
	"context"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// readObjects reads the payload objects below an s3:// URL, with the
// endpoint and credentials of the environment. A listing that fails (the
// credentials, the bucket) is the run's error.
func (rd reader) readObjects(url string, opts ReadOptions) error {
	r, err := s3capture.NewReader(url, s3capture.ConfigFromEnv())
	if err != nil {
		return err
	}
	return r.Read(context.Background(), s3capture.Dates{Since: opts.Since, Until: opts.Until}, func(key string, size int64) (list, fetch bool) {
		if !isPayloadFile(key) {
			return false, false
		}
		return true, size <= validate.MaxPayloadBytes || isLinesFile(key)
	}, func(o s3capture.Object) error {
		switch {
		case o.Err != nil:
			return rd.yield(validate.Payload{Source: o.URL, Err: o.Err})
		case o.Body == nil:
			return rd.yield(validate.Payload{Source: o.URL, TooLarge: true})
		}
		defer o.Body.Close()
		return rd.readContent(o.URL, o.Body, o.Size, true)
	})
}
