package severity

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOrder(t *testing.T) {
	assert.Greater(t, Rank(Breaking), Rank(Warning))
	assert.Greater(t, Rank(Warning), Rank(Info))
	assert.Zero(t, Rank("fatal"))
	assert.True(t, AtLeast(Breaking, Warning))
	assert.False(t, AtLeast(Info, Warning))
	assert.NoError(t, Check(Info))
	assert.EqualError(t, Check("fatal"), `unknown severity "fatal" (want breaking, warning or info)`)
}
