package webhook

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecimal(t *testing.T) {
	for _, lit := range []string{"1.01", "195", "-0.5", "1e-7", "100.10", "123456789012345678901234567890.123456789"} {
		var d Decimal
		require.NoError(t, json.Unmarshal([]byte(lit), &d))
		assert.Equal(t, lit, d.String())
		out, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Equal(t, lit, string(out))
	}
	assert.True(t, MustDecimal("1.0").Equal(MustDecimal("1")))
	n, ok := MustDecimal("195").Int64()
	assert.True(t, ok)
	assert.Equal(t, int64(195), n)
	_, ok = MustDecimal("1.5").Int64()
	assert.False(t, ok)
	assert.Equal(t, "0", Decimal{}.String())
	_, err := ParseDecimal("1,5")
	assert.Error(t, err)
	assert.InDelta(t, 1.01, MustDecimal("1.01").Float64(), 1e-12)
	huge := MustDecimal("1e999999999")
	assert.Nil(t, huge.Rat(), "beyond math/big")
	_, ok = huge.Int64()
	assert.False(t, ok)
	assert.True(t, huge.Equal(MustDecimal("1e999999999")))
	var s UnixSeconds
	assert.Error(t, json.Unmarshal([]byte(`1e999999999`), &s))
}

func TestTimes(t *testing.T) {
	var s UnixSeconds
	require.NoError(t, json.Unmarshal([]byte(`1692522784`), &s))
	assert.Equal(t, time.Date(2023, 8, 20, 9, 13, 4, 0, time.UTC), s.Time())
	require.NoError(t, json.Unmarshal([]byte(`1692522784.0`), &s))
	assert.Error(t, json.Unmarshal([]byte(`1692522784.5`), &s))
	assert.Error(t, json.Unmarshal([]byte(`"1692522784x"`), &s))
	assert.True(t, UnixSeconds(0).Time().IsZero(), "Rapyd's unset 0")
	var ms UnixMillis
	require.NoError(t, json.Unmarshal([]byte(`1692522919674`), &ms))
	assert.Equal(t, int64(1692522919674), ms.Time().UnixMilli())
	var dt DateTime
	require.NoError(t, json.Unmarshal([]byte(`"2023-12-25 21:59:59"`), &dt))
	out, err := json.Marshal(dt)
	require.NoError(t, err)
	assert.Equal(t, `"2023-12-25 21:59:59"`, string(out))
	assert.Error(t, json.Unmarshal([]byte(`"2023-12-25T21:59:59Z"`), &dt))
}

func TestStringAt(t *testing.T) {
	body := []byte(`{"type": "x", "data": {"a~b": {"c/d": "deep"}}, "n": 5, "type": "last"}`)
	v, ok := StringAt(body, "/type")
	assert.True(t, ok)
	assert.Equal(t, "last", v, "the last of repeated names, as encoding/json")
	v, ok = StringAt(body, "/data/a~0b/c~1d")
	assert.True(t, ok)
	assert.Equal(t, "deep", v)
	_, ok = StringAt(body, "/n")
	assert.False(t, ok)
	_, ok = StringAt([]byte(`not json`), "/type")
	assert.False(t, ok)
}

// Variable names a shell can set, whatever the provider's folder is called.
func TestSecretsFromEnvNames(t *testing.T) {
	t.Setenv("PAYHOOKS_ADYEN_EU_2_SECRET", "k")
	assert.Equal(t, "k", SecretsFromEnv("adyen-eu.2").Secret)
	assert.Equal(t, []string{"PAYHOOKS_ADYEN_EU_2_SECRET"}, EnvNames("adyen-eu.2", Scheme{Name: "adyen-hmac"}))
}

func TestSetString(t *testing.T) {
	body := []byte("{\n  \"id\": \"evt_1\",\n  \"data\": {\"id\": \"chk_1\", \"n\": 2}\n}")
	out, err := SetString(body, "/id", "evt_2")
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"id\": \"evt_2\",\n  \"data\": {\"id\": \"chk_1\", \"n\": 2}\n}", string(out), "every other byte unchanged")
	out, err = SetString(body, "/data/id", "chk_\"2")
	require.NoError(t, err)
	assert.Contains(t, string(out), `"id": "chk_\"2"`)
	_, err = SetString(body, "/data/n", "x")
	assert.EqualError(t, err, "set /data/n: the value is not a string")
	_, err = SetString(body, "/nope", "x")
	assert.EqualError(t, err, "set /nope: no such property")
}
