package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeverityOrder(t *testing.T) {
	assert.Greater(t, Breaking.Rank(), Warning.Rank())
	assert.Greater(t, Warning.Rank(), Info.Rank())
	assert.Zero(t, Severity("fatal").Rank())
	assert.Zero(t, Severity("").Rank())
	assert.True(t, Breaking.AtLeast(Warning))
	assert.False(t, Info.AtLeast(Warning))
	s, err := ParseSeverity("info")
	require.NoError(t, err)
	assert.Equal(t, Info, s)
	_, err = ParseSeverity("fatal")
	assert.EqualError(t, err, `unknown severity "fatal" (want breaking, warning or info)`)
}

// Every kind has the severity the contract gives it, and words of its own.
func TestKindsCarryTheContractSeverities(t *testing.T) {
	want := map[Kind]Severity{
		MissingRequired: Breaking, TypeMismatch: Breaking, InvalidJSON: Breaking, PayloadTooLarge: Breaking,
		UnknownEnumValue: Warning, UnknownEvent: Warning, ConstraintViolation: Warning, MissingExpected: Warning, DuplicateKey: Warning,
		UnknownProperty: Info,
	}
	require.Len(t, Kinds, len(want))
	last := Breaking
	for _, k := range Kinds {
		assert.Equal(t, want[k], k.Severity(), k)
		assert.True(t, last.AtLeast(k.Severity()), "%s: Kinds lists the most severe first", k)
		last = k.Severity()
		assert.NotEqual(t, string(k), k.Description(), k)
	}
}

// The severities are named, and counted, from Severities alone.
func TestSeverityChoicesAndTally(t *testing.T) {
	assert.Equal(t, "breaking, warning or info", SeverityChoices())
	assert.Equal(t, "breaking 1, warning 0, info 2", Tally(map[Severity]int{Breaking: 1, Info: 2}))
	_, err := ParseSeverity("fatal")
	assert.EqualError(t, err, `unknown severity "fatal" (want breaking, warning or info)`)
}
