package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/tooling/capture"
	"github.com/payhooks/payhooks/webhook"
)

// withoutID is a Finmo delivery with no webhook_notification_id at all.
func withoutID(t *testing.T, note string) []byte {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(finmoDelivery(t, "x"), &doc))
	delete(doc, "webhook_notification_id")
	doc["note"] = note
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// A delivery without an id is captured under its body's hash, in file
// names no delivery id can take: a real delivery whose id spells that hash
// (in today's form or the old "body-" one) is a delivery of its own, in
// either order, never "already captured" and lost.
func TestListenKeepsBodyKeysApartFromDeliveryIDs(t *testing.T) {
	dir := t.TempDir()
	l := startListen(t, "-dir", dir)
	idless := withoutID(t, "first")
	sum := sha256.Sum256(idless)
	spellings := []string{webhook.BodyID(idless), "body-" + hex.EncodeToString(sum[:8])}
	require.Equal(t, "sha256-"+hex.EncodeToString(sum[:]), spellings[0], "one convention: webhook.BodyID")

	code, msg := post(t, l.url+"/finmo", idless, finmoToken)
	require.Equal(t, http.StatusOK, code, msg)
	for _, id := range spellings {
		code, msg = post(t, l.url+"/finmo", finmoDelivery(t, id), finmoToken)
		require.Equal(t, http.StatusOK, code, msg)
	}
	// The other order: ids first, then the bodies they spell.
	later := withoutID(t, "second")
	for _, id := range []string{webhook.BodyID(later), "body-" + hex.EncodeToString(func() []byte { s := sha256.Sum256(later); return s[:8] }())} {
		code, msg = post(t, l.url+"/finmo", finmoDelivery(t, id), finmoToken)
		require.Equal(t, http.StatusOK, code, msg)
	}
	code, msg = post(t, l.url+"/finmo", later, finmoToken)
	require.Equal(t, http.StatusOK, code, msg)
	// A retry of an id-less delivery is one capture still.
	code, msg = post(t, l.url+"/finmo", idless, finmoToken)
	require.Equal(t, http.StatusOK, code, msg)

	require.NoError(t, l.stop(t, syscall.SIGTERM))
	got := captures(t, dir)
	assert.Equal(t, 6, len(got), "two id-less bodies and four ids, each kept: %v", keys(got))
	assert.Equal(t, string(idless), got[capture.BodyName("finmo", webhook.BodyID(idless))].Body)
	assert.Equal(t, string(later), got[capture.BodyName("finmo", webhook.BodyID(later))].Body)
	for _, id := range append(spellings, webhook.BodyID(later)) {
		assert.Contains(t, got[capture.Name("finmo", id)].Body, id)
	}
	assert.Contains(t, l.logs(), "(already captured)", "the retry of the id-less delivery")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
