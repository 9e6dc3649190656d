package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestCreateNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	require.NoError(t, Create(name, ".tmp-", nil, writeString("one")))
	err := Create(name, ".tmp-", nil, writeString("two"))
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.Equal(t, "one", string(must(os.ReadFile(name))), "Create never replaces")
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left")
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}
