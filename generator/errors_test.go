package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator"
)

// Every refusal has a case under testdata/errors: a schema folder and, as
// sqlc keeps them, want_error.txt beside it with the exact error (refreshed
// with go test ./generator -update, then reviewed). Nothing is generated.
func TestGenerateRefusals(t *testing.T) {
	cases, err := os.ReadDir("testdata/errors")
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", "errors", c.Name())
			files, err := generator.Generate(os.DirFS(dir), generator.Options{})
			require.Error(t, err, "the case must be refused")
			assert.Nil(t, files)
			wantFile := filepath.Join(dir, "want_error.txt")
			if *update {
				require.NoError(t, os.WriteFile(wantFile, []byte(err.Error()+"\n"), 0o644))
			}
			want, readErr := os.ReadFile(wantFile)
			require.NoError(t, readErr, "go test ./generator -update writes it")
			assert.Equal(t, strings.TrimSpace(string(want)), err.Error())
		})
	}
}
