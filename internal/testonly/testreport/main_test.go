package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// What go test -json says of a package with a passing, a failing and a
// skipped test becomes what go test prints without -v, plus the skip and
// its reason.
func TestReport(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"start","Package":"p"}`,
		`{"Action":"run","Package":"p","Test":"TestOK"}`,
		`{"Action":"output","Package":"p","Test":"TestOK","Output":"=== RUN   TestOK\n"}`,
		`{"Action":"output","Package":"p","Test":"TestOK","Output":"--- PASS: TestOK (0.00s)\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestOK"}`,
		`{"Action":"run","Package":"p","Test":"TestTool"}`,
		`{"Action":"output","Package":"p","Test":"TestTool","Output":"=== RUN   TestTool\n"}`,
		`{"Action":"output","Package":"p","Test":"TestTool","Output":"    p_test.go:9: ajv is not installed (npm ci)\n"}`,
		`{"Action":"output","Package":"p","Test":"TestTool","Output":"--- SKIP: TestTool (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestTool"}`,
		`{"Action":"run","Package":"p","Test":"TestBad"}`,
		`{"Action":"output","Package":"p","Test":"TestBad","Output":"=== RUN   TestBad\n"}`,
		`{"Action":"output","Package":"p","Test":"TestBad","Output":"    p_test.go:12: want 1, got 2\n"}`,
		`{"Action":"output","Package":"p","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestBad"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\n"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.01s\n"}`,
		`{"Action":"fail","Package":"p"}`,
		`{"Action":"output","Package":"q","Output":"ok  \tq\t0.02s\n"}`,
		`{"Action":"pass","Package":"q"}`,
		`{"Action":"output","Package":"r","Output":"?   \tr\t[no test files]\n"}`,
		`{"Action":"skip","Package":"r"}`, // a package without tests is no skipped test
	}, "\n")
	var out strings.Builder
	assert.Equal(t, 1, report(strings.NewReader(in), &out))
	assert.Equal(t, "--- SKIP: TestTool (0.00s)\n    p_test.go:9: ajv is not installed (npm ci)\n"+
		"=== RUN   TestBad\n    p_test.go:12: want 1, got 2\n--- FAIL: TestBad (0.00s)\n"+
		"FAIL\tp\t0.01s\nok  \tq\t0.02s\n?   \tr\t[no test files]\n1 skipped (the reasons above)\n", out.String())

	out.Reset()
	assert.Equal(t, 0, report(strings.NewReader(`{"Action":"output","Package":"q","Output":"ok  \tq\t0.02s\n"}`), &out))
	assert.Equal(t, "ok  \tq\t0.02s\n", out.String())
}
