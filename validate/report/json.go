package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/payhooks/payhooks/validate"
)

// jsonReporter streams the contract's single document:
// {"results":[…],"summary":{…}}, one result at a time.
type jsonReporter struct {
	w     io.Writer
	count int
	buf   []byte
}

func (j *jsonReporter) Result(r validate.Result) error {
	if r.Err != nil {
		return nil // unreadable inputs go to stderr, not the report
	}
	prefix := ",\n"
	if j.count == 0 {
		prefix = "{\"results\":[\n"
	}
	j.count++
	j.buf = appendResult(append(j.buf[:0], prefix...), r)
	_, err := j.w.Write(j.buf)
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

// appendResult appends r as marshalPlain writes it, without reflection:
// a run writes one a payload.
func appendResult(b []byte, r validate.Result) []byte {
	b = appendString(append(b, `{"source":`...), r.Source)
	if r.Line != 0 {
		b = strconv.AppendInt(append(b, `,"line":`...), int64(r.Line), 10)
	}
	b = appendString(append(b, `,"provider":`...), r.Provider)
	b = appendString(append(b, `,"event":`...), r.Event)
	b = append(b, `,"findings":`...)
	if r.Findings == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i, f := range r.Findings {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(append(b, `{"pointer":`...), f.Pointer)
		b = appendString(append(b, `,"kind":`...), string(f.Kind))
		b = appendString(append(b, `,"severity":`...), string(f.Severity))
		b = appendString(append(b, `,"message":`...), f.Message)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendString appends s as a JSON string as marshalPlain writes it: as
// it is when it is printable ASCII without a quote or backslash, which
// most are, else through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			quoted, _ := marshalPlain(s) // a string always encodes
			return append(b, quoted...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
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
