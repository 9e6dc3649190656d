// Package severity is the one place that orders the drift severities
// (breaking, warning, info), for the validator, the handler's strict mode,
// the schema changelog and listen's summary line alike.
package severity

import "fmt"

// The severities, as the drift contract names them.
const (
	Breaking = "breaking"
	Warning  = "warning"
	Info     = "info"
)

// Order lists the severities, most severe first.
var Order = []string{Breaking, Warning, Info}

// Rank orders severities: higher is worse; 0 for a name that is none.
func Rank(s string) int {
	for i, name := range Order {
		if s == name {
			return len(Order) - i
		}
	}
	return 0
}

// AtLeast reports whether s is as severe as min or more.
func AtLeast(s, min string) bool { return Rank(s) >= Rank(min) }

// Check fails unless s names a severity.
func Check(s string) error {
	if Rank(s) == 0 {
		return fmt.Errorf("unknown severity %q (want breaking, warning or info)", s)
	}
	return nil
}
