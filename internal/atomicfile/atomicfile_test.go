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

func TestWriteReplacesCreateNever(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	require.NoError(t, Write(name, ".tmp-", writeString("one")))
	require.NoError(t, Write(name, ".tmp-", writeString("two")))
	assert.Equal(t, "two", string(must(os.ReadFile(name))))
	err := Create(name, ".tmp-", nil, writeString("three"))
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.Equal(t, "two", string(must(os.ReadFile(name))), "Create never replaces")
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left")
}

// A whole folder is replaced at once; a failure leaves it as it was.
func TestReplaceDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bundle")
	require.NoError(t, ReplaceDir(dir, map[string][]byte{"a.json": []byte("1"), "sub/b.json": []byte("2")}))
	require.NoError(t, ReplaceDir(dir, map[string][]byte{"c.json": []byte("3")}))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the old folder is gone whole")
	assert.Equal(t, "c.json", entries[0].Name())
	err = ReplaceDir(dir, map[string][]byte{"../escape": []byte("x"), "x/\x00": []byte("y")})
	assert.Error(t, err)
	assert.FileExists(t, filepath.Join(dir, "c.json"), "a failed replace leaves the folder as it was")
	siblings, _ := os.ReadDir(filepath.Dir(dir))
	assert.Len(t, siblings, 1, "and nothing half written beside it")
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}
