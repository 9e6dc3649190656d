package redisstore_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/redisstore"
)

func TestOpenMemory(t *testing.T) {
	store, closeStore, err := redisstore.Open("memory")
	require.NoError(t, err)
	assert.IsType(t, &webhook.MemoryStore{}, store)
	assert.NoError(t, closeStore())
}

func TestOpenRedis(t *testing.T) {
	store, closeStore, err := redisstore.Open(sharedURL(t))
	require.NoError(t, err)
	assert.IsType(t, &redisstore.Store{}, store)
	assert.NoError(t, closeStore())
}

func TestOpenRefusesWithoutLeakingThePassword(t *testing.T) {
	_, _, err := redisstore.Open("postgres://user:s3cret@db/0")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown store`)
	assert.NotContains(t, err.Error(), "s3cret")

	// A port nothing listens on: the ping fails and says so, still without
	// the password.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	_, _, err = redisstore.Open("redis://:s3cret@" + addr + "/0")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no answer from Redis")
	assert.NotContains(t, err.Error(), "s3cret")
}
