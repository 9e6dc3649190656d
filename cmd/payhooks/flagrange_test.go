package main

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Every numeric flag of every command is held to a range, checked while
// the flags are parsed: a value outside it stops the command at once with
// exit status 2 and the range, before it listens, sends or reads anything.
func TestNumericFlagsAreRangeChecked(t *testing.T) {
	for _, c := range commandTable() {
		fl := flagsOf(c)
		if fl == nil {
			continue
		}
		fl.VisitAll(func(f *flag.Flag) {
			if g, ok := f.Value.(flag.Getter); ok {
				switch g.Get().(type) {
				case int, int64, uint, uint64, float64, time.Duration:
					t.Errorf("payhooks %s -%s is a number with no range: define it with rangeFlag", c.name, f.Name)
				}
			}
		})
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"listen", "-max-body", "9223372036854775807"}, "-max-body: out of range; want 1 to 67108864"},
		{[]string{"listen", "-max-body", "0"}, "-max-body: out of range; want 1 to 67108864"},
		{[]string{"listen", "-max-body", "-1"}, "-max-body: out of range; want 1 to 67108864"},
		{[]string{"listen", "-max-body", "1e9"}, "-max-body: not a whole number in range; want 1 to 67108864"},
		{[]string{"listen", "-tolerance", "-5m"}, "-tolerance: out of range; want 0s to 24h0m0s"},
		{[]string{"listen", "-read-timeout", "0"}, "-read-timeout: out of range; want 10ms to 1h0m0s"},
		{[]string{"listen", "-read-timeout", "10"}, "-read-timeout: not a duration (such as 30s or 5m); want 10ms to 1h0m0s"},
		{[]string{"send", "-provider", "finmo", "-event", "CHECKOUT_CREATED", "-concurrency", "10000000", "-count", "2", "http://127.0.0.1:9"}, "-concurrency: out of range; want 1 to 1000"},
		{[]string{"send", "-provider", "finmo", "-event", "CHECKOUT_CREATED", "-count", "0", "http://127.0.0.1:9"}, "-count: out of range; want 1 to 1000000"},
		{[]string{"send", "-provider", "finmo", "-event", "CHECKOUT_CREATED", "-count", "99999999999999999999", "http://127.0.0.1:9"}, "-count: not a whole number in range; want 1 to 1000000"},
		{[]string{"send", "-provider", "finmo", "-event", "CHECKOUT_CREATED", "-timeout", "0s", "http://127.0.0.1:9"}, "-timeout: out of range; want 1ms to 1h0m0s"},
		{[]string{"validate", "-workers", "-1", "x.json"}, "-workers: out of range; want 0 to 256"},
		{[]string{"validate", "-workers", "100000", "x.json"}, "-workers: out of range; want 0 to 256"},
		{[]string{"schemas", "learn", "-min-count", "0", "x.json"}, "-min-count: out of range; want 1 to 1073741824"},
	} {
		start := time.Now()
		_, stderr, code := payhooks(t, "", nil, tc.args...)
		assert.Equal(t, exitCantRun, code, strings.Join(tc.args, " "))
		assert.Contains(t, stderr, tc.want, strings.Join(tc.args, " "))
		assert.Less(t, time.Since(start), 5*time.Second, "refused up front: %s", strings.Join(tc.args, " "))
	}
}
