package webhook

import (
	"context"
	"encoding/hex"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A body cap outside 1 to MaxBodyLimit is refused when the handler is
// built: at the largest int64, cap+1 wrapped round, a chunked request
// panicked (makeslice) and the body budget went negative, turning it off.
func TestMaxBodyBytesIsChecked(t *testing.T) {
	config := func(dispatched *int) Config {
		return Config{
			Provider:   "augustus",
			Scheme:     Scheme{Name: SchemeIvy},
			Secrets:    Secrets{Secret: "ivy_secret"},
			Decode:     func(string, []byte) (Delivery, error) { return Delivery{ID: "d1", Event: "e", Known: true}, nil },
			Registered: func(string) bool { return true },
			Dispatch:   func(context.Context, Delivery) error { *dispatched++; return nil },
		}
	}
	var n int
	for _, bad := range []int64{math.MaxInt64, MaxBodyLimit + 1, 0, -1} {
		_, err := NewCore(config(&n), WithMaxBodyBytes(bad))
		require.Error(t, err, "%d", bad)
		assert.Contains(t, err.Error(), "want 1 to 1073741824")
	}
	core, err := NewCore(config(&n), WithMaxBodyBytes(MaxBodyLimit))
	require.NoError(t, err)
	body := `{"id":"d1"}`
	req := httptest.NewRequest(http.MethodPost, "/augustus/e", strings.NewReader(body))
	req.ContentLength = -1 // chunked: the length is not known ahead
	req.Header.Set("X-Ivy-Signature", hex.EncodeToString(hmacSHA256([]byte("ivy_secret"), []byte(body))))
	rec := httptest.NewRecorder()
	core.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, 1, n)
}
