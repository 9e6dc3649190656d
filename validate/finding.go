package validate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/webhook/drift"
)

func newFinding(pointer string, kind drift.Kind, format string, args ...any) drift.Finding {
	return drift.Finding{Pointer: pointer, Kind: kind, Severity: kind.Severity(), Message: fmt.Sprintf(format, args...)}
}

// sortFindings orders findings by pointer, then kind, then message, so
// reports are stable run to run.
func sortFindings(fs []drift.Finding) {
	slices.SortFunc(fs, func(a, b drift.Finding) int {
		return cmp.Or(strings.Compare(a.Pointer, b.Pointer), cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Message, b.Message))
	})
}
