package capture

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
)

func TestNameIsReadableWhenItCanBe(t *testing.T) {
	assert.Equal(t, "rapyd-wh_0123abc.capture.json", Name("rapyd", "wh_0123abc"))
	assert.Equal(t, "finmo-webhook_73b6-x.capture.json", Name("finmo", "webhook_73b6-x"))
	hashed := Name("tazapay", "evt_A/b")
	assert.True(t, strings.HasPrefix(hashed, "tazapay-evt_a_b~"), hashed)
	assert.Len(t, hashed, len("tazapay-evt_a_b~")+32+len(Suffix))
}

// FuzzCaptureName: distinct (provider, id) pairs never share a file name,
// even on a file system that ignores case, nor does an id share one with a
// body, and every name is one plain file name under 200 bytes.
func FuzzCaptureName(f *testing.F) {
	for _, pair := range [][2]string{{"a/b", "a_b"}, {"é", "ü"}, {".hidden", "hidden"}, {"..", "..."}, {"evt_A", "evt_a"}, {"x", strings.Repeat("x", 300)}} {
		f.Add("finmo", pair[0], "finmo", pair[1])
	}
	f.Add("a-b", "c", "a", "b-c")
	body := "sha256-" + strings.Repeat("ab", 32)
	f.Add("finmo", body, "finmo", body)
	f.Add("finmo", "x~"+strings.Repeat("a", 32), "finmo", "x")
	f.Fuzz(func(t *testing.T, p1, id1, p2, id2 string) {
		n1, n2 := Name(p1, id1), Name(p2, id2)
		for _, n := range []string{n1, n2} {
			assert.Less(t, len(n), 200, n)
			assert.NotContains(t, n, "/")
			assert.NotContains(t, n, "\x00")
			assert.False(t, strings.HasPrefix(n, "."), "a hidden or partial-looking name: %q", n)
			assert.True(t, strings.HasSuffix(n, Suffix))
		}
		if p1 != p2 || id1 != id2 {
			assert.False(t, strings.EqualFold(n1, n2), "(%q, %q) and (%q, %q) share %q", p1, id1, p2, id2, n1)
		}
		// Bodies have names of their own, which no id reaches.
		b1, b2 := BodyName(p1, id1), BodyName(p2, id2)
		for _, b := range []string{b1, b2} {
			assert.Less(t, len(b), 200, b)
			assert.NotContains(t, b, "/")
			assert.False(t, strings.HasPrefix(b, "."), b)
			assert.True(t, strings.HasSuffix(b, Suffix))
			assert.False(t, strings.EqualFold(b, n1) || strings.EqualFold(b, n2), "a body's name %q is an id's", b)
		}
		if p1 != p2 || id1 != id2 {
			assert.False(t, strings.EqualFold(b1, b2), "bodies (%q, %q) and (%q, %q) share %q", p1, id1, p2, id2, b1)
		}
	})
}

func capture(t *testing.T, body string) File {
	t.Helper()
	c, err := New("POST", "/finmo", http.Header{}, []byte(body), time.Now())
	require.NoError(t, err)
	return c
}

// Write never replaces a capture, also when many writers race for one name.
func TestWriteNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	results := make([]error, 16)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = Write(dir, "p-x.capture.json", capture(t, `{"n":`+string(rune('a'+i))+`}`))
		}(i)
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		if err == nil {
			won++
		} else {
			assert.ErrorIs(t, err, ErrExists)
		}
	}
	assert.Equal(t, 1, won)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left")
	_, err = Read(dir, "p-x.capture.json")
	assert.NoError(t, err)
}

// Clean removes the temporary files of writers that are gone and leaves
// the ones a live writer holds.
func TestCleanLeavesLiveWritersAlone(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, tempPrefix+"dead"), []byte("{"), 0o644))
	live, err := os.CreateTemp(dir, tempPrefix)
	require.NoError(t, err)
	defer live.Close()
	require.NoError(t, lockInFlight(live))
	n, err := Clean(dir)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.NoFileExists(t, filepath.Join(dir, tempPrefix+"dead"))
	assert.FileExists(t, live.Name())
}

// A capture keyed on its body is named after the id the handler already
// derived from the body, which is not hashed again: a capture marked so is
// named after its id even when that is not its body's hash (no handler
// makes one). One not marked so keeps a provider's id of that shape apart
// from body keys (issue 26).
func TestOfNamesABodyKeyedCaptureAfterItsIDWithoutHashingAgain(t *testing.T) {
	body := []byte(`{"amount": 1}`)
	derived := webhook.BodyID([]byte("the body the handler hashed"))
	name, f := Of(&webhook.Capture{Provider: "finmo", DeliveryID: derived, KeyedOnBody: true, Body: body, Method: "POST", Path: "/"})
	assert.Equal(t, BodyName("finmo", derived), name)
	assert.Equal(t, derived, f.DeliveryID)

	hostile := webhook.BodyID(body)
	name, f = Of(&webhook.Capture{Provider: "finmo", DeliveryID: hostile, Body: []byte(`{"id": "` + hostile + `"}`), Method: "POST", Path: "/"})
	assert.Equal(t, Name("finmo", hostile), name)
	assert.True(t, Recorded(f, name))
	assert.False(t, Recorded(f, BodyName("finmo", hostile)))

	keyed := webhook.BodyID(body)
	name, f = Of(&webhook.Capture{Provider: "finmo", DeliveryID: keyed, KeyedOnBody: true, Body: body, Method: "POST", Path: "/"})
	assert.Equal(t, BodyName("finmo", keyed), name)
	assert.True(t, Recorded(f, name), "read back, a body key is confirmed by the hash")

	name, _ = Of(&webhook.Capture{Provider: "finmo", Body: body, Method: "POST", Path: "/"})
	assert.Equal(t, BodyName("finmo", keyed), name, "a delivery without an id is keyed on its body")
}
