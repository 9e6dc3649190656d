package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// junitReporter writes one test case per payload. Findings at or above the
// fail-on severity make it a failure that lists them; lesser findings go to
// its system-out; an unreadable input is an error.
type junitReporter struct {
	w        io.Writer
	failOn   drift.Severity
	body     spool
	tests    int
	failures int
	errors   int
}

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitReporter) Result(r validate.Result) error {
	c := junitCase{Name: position(r.Source, r.Line), Classname: "payhooks." + strings.ReplaceAll(subject(r), " ", ".")}
	j.tests++
	switch {
	case r.Err != nil:
		j.errors++
		c.Error = &junitFailure{Message: "cannot read", Type: "unreadable", Text: r.Err.Error()}
	case len(r.Findings) > 0:
		var b strings.Builder
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "%s %s %s: %s\n", f.Severity, f.Kind, f.Pointer, f.Message)
		}
		if worst := r.Worst(); worst.AtLeast(j.failOn) {
			j.failures++
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d findings, worst %s", len(r.Findings), worst), Type: string(worst), Text: b.String()}
		} else {
			c.SystemOut = b.String()
		}
	}
	enc := xml.NewEncoder(&j.body)
	enc.Indent("    ", "  ")
	if err := enc.Encode(c); err != nil {
		return err
	}
	_, err := io.WriteString(&j.body, "\n")
	return err
}

func (j *junitReporter) Close(Summary) error {
	counts := fmt.Sprintf(`tests="%d" failures="%d" errors="%d"`, j.tests, j.failures, j.errors)
	head := xml.Header + `<testsuites name="payhooks" ` + counts + ">\n" +
		`  <testsuite name="payhooks validate" ` + counts + ">\n"
	if _, err := io.WriteString(j.w, head); err != nil {
		return err
	}
	if err := j.body.copyTo(j.w); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "  </testsuite>\n</testsuites>\n")
	return err
}
