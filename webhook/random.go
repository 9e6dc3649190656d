package webhook

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
)

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

func jsonUnmarshalString(raw []byte, s *string) bool { return json.Unmarshal(raw, s) == nil }
