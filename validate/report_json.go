package validate

import (
	"encoding/json"
	"io"
)

// jsonReporter streams the contract's single document:
// {"results":[…],"summary":{…}}, one result at a time.
type jsonReporter struct {
	w     io.Writer
	count int
}

func (j *jsonReporter) Result(r Result) error {
	if r.Err != nil {
		return nil // unreadable inputs go to stderr, not the report
	}
	data, err := json.Marshal(r)
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
	data, err := json.Marshal(s)
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
