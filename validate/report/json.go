package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/payhooks/payhooks/validate"
)

// jsonReporter streams the contract's single document:
// {"results":[…],"summary":{…}}, one result at a time.
type jsonReporter struct {
	w     io.Writer
	count int
}

func (j *jsonReporter) Result(r validate.Result) error {
	if r.Err != nil {
		return nil // unreadable inputs go to stderr, not the report
	}
	data, err := marshalPlain(r)
	if err != nil {
		return err
	}
	prefix := ",\n"
	if j.count == 0 {
		prefix = "{\"results\":[\n"
	}
	j.count++
	_, err = io.WriteString(j.w, prefix+string(data))
	return err
}

func (j *jsonReporter) Close(s Summary) error {
	data, err := marshalPlain(s)
	if err != nil {
		return err
	}
	head := "\n],"
	if j.count == 0 {
		head = "{\"results\":[],"
	}
	_, err = io.WriteString(j.w, head+"\"summary\":"+string(data)+"}\n")
	return err
}

// marshalPlain is json.Marshal without HTML escaping: the report is read
// by programs and people, never embedded in a page, and "<stdin>" should
// read as such.
func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
