package lossless

import (
	"fmt"
	"math"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WholeNumber takes every spelling of a whole number that fits int64 and
// nothing else, as math/big would decide it.
func TestWholeNumberAgreesWithMathBig(t *testing.T) {
	cases := []string{
		"0", "-0", "0.0", "0e5", "0e-999999999999999999999", "-0.000e+3",
		"6700", "6700.0", "6700.000", "6.7e3", "6.7E+3", "67e2", "670000e-2", "0.67e4", "-6.7e3",
		"1.5", "15e-1", "150e-2", "1e-1", "0.1e1", "12.34e1", "12.34e2",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"9.223372036854775807e18", "9.223372036854775808e18", "-9.223372036854775808e18",
		"92233720368547758070e-1", "922337203685477580700e-2", "9223372036854775807.000",
		"1e18", "1e19", "9e18", "10e18", "1e999999999999", "1e-999999999999", "1e0000000000000000000001",
		"99999999999999999999", "1" + strings.Repeat("0", 30) + "e-30", "1" + strings.Repeat("0", 30) + "e-29",
		"0.000000000000000000001e21", "0.000000000000000000001e20",
	}
	for _, c := range cases {
		got, ok := WholeNumber(c)
		r, parsed := new(big.Rat).SetString(c)
		want := parsed && r.IsInt() && r.Num().IsInt64()
		if !parsed {
			// math/big refuses exponents past a million; such a number is
			// never a whole number that fits, unless it is zero.
			want = strings.Trim(strings.Split(strings.ToLower(strings.TrimPrefix(c, "-")), "e")[0], "0.") == ""
		}
		require.Equal(t, want, ok, c)
		if want && parsed {
			assert.Equal(t, r.Num().Int64(), got, c)
		}
	}
}

func TestIntegerSaysWhyAndShortensTheNumber(t *testing.T) {
	n, err := Integer([]byte(`"6.7e3"`))
	require.NoError(t, err)
	assert.Equal(t, int64(6700), n)
	_, err = Integer([]byte("99999999999999999999"))
	assert.EqualError(t, err, "expected integer that fits 64 bits, got number 99999999999999999999")
	_, err = Integer([]byte(strings.Repeat("9", 1000)))
	assert.EqualError(t, err, "expected integer that fits 64 bits, got number "+strings.Repeat("9", 37)+"...")
	_, err = Integer([]byte("true"))
	assert.EqualError(t, err, "expected integer, got boolean")
	_, err = Integer([]byte(fmt.Sprint(int64(math.MaxInt64)) + ".5"))
	assert.Error(t, err)
}

// allocatedPerByte is what reading text as an integer allocates, per byte
// of it.
func allocatedPerByte(read func(string), text string) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	read(text)
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(len(text))
}

// A number a million digits long costs a few bytes a digit to read, as a
// short one does: math/big's conversion allocated 2 KiB a digit at that
// length (over 2 GB in all, and 1.4 s), growing with the length.
func TestLongNumbersCostLinearMemory(t *testing.T) {
	read := func(s string) { Integer([]byte(s)) }
	for _, text := range []string{
		"1" + strings.Repeat("7", 1<<20),
		"1" + strings.Repeat("7", 1<<20) + "e-5",
		"0." + strings.Repeat("0", 1<<20) + "1e1048577",
		`"` + strings.Repeat("7", 1<<20) + `.0"`,
	} {
		assert.Less(t, allocatedPerByte(read, text), 8.0, "%.20s… (%d bytes)", text, len(text))
	}
}

// BenchmarkWholeNumber reads a number of a thousand and of a million digits
// with math/big (the baseline) and with WholeNumber: math/big's time grows
// with the square of the length, WholeNumber's with the length.
func BenchmarkWholeNumber(b *testing.B) {
	for _, digits := range []int{1 << 10, 1 << 20} {
		text := "6" + strings.Repeat("7", digits-1) + "e-3"
		b.Run(fmt.Sprintf("digits%d/math-big", digits), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for range b.N {
				r, _ := new(big.Rat).SetString(text)
				_ = r.IsInt() && r.Num().IsInt64()
			}
		})
		b.Run(fmt.Sprintf("digits%d/payhooks", digits), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for range b.N {
				WholeNumber(text)
			}
		})
	}
}

// Time reads what time.Time reads from JSON, and RFC 3339's lower-case "t"
// and "z" as the same instant; what time.Time cannot hold is an error.
func TestTime(t *testing.T) {
	want, err := Time([]byte("2023-12-25T22:00:01.5Z"))
	require.NoError(t, err)
	for _, s := range []string{"2023-12-25t22:00:01.5Z", "2023-12-25T22:00:01.5z", "2023-12-25t22:00:01.5z", "2023-12-25T23:00:01.5+01:00"} {
		got, err := Time([]byte(s))
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), s)
	}
	for s, reason := range map[string]string{
		"2016-12-31T23:59:60Z": "second out of range",
		"2023-02-30T00:00:00Z": "day out of range",
		"yesterday":            `cannot parse "yesterday" as "2006"`,
		"t":                    `cannot parse "t" as "2006"`,
		"":                     `cannot parse "" as "2006"`,
		"2023-12-25 21:59:59":  `cannot parse " 21:59:59" as "T"`,
		"2023-12-25T21:59:59":  `cannot parse "" as "Z07:00"`,
	} {
		_, err := Time([]byte(s))
		assert.EqualError(t, err, fmt.Sprintf("expected RFC 3339 date-time, got string %q (%s)", s, reason))
	}
}

// The direct reading of the date-times deliveries send gives the very
// time.Time that time.Time's own parser gives: the same instant, location
// and representation, in UTC and in a local zone with offsets of its own.
func TestPlainTimeIsTimesOwn(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	for _, local := range []*time.Location{time.UTC, berlin, time.FixedZone("odd", 5*3600+1800)} {
		saved := time.Local
		time.Local = local
		for _, s := range []string{
			"2025-06-30T16:40:23+02:00", "2025-01-30T16:40:23+01:00", "2025-06-30T16:40:23+05:30", "2025-06-30T16:40:23-00:00",
			"2025-06-30T16:40:23+00:00", "2023-12-25T22:00:01.538212317Z", "2023-12-25t22:00:01.5z", "0000-01-01T00:00:00Z",
			"9999-12-31T23:59:59.999999999+23:59", "2024-02-29T12:00:00Z", "1969-12-31T23:59:59.1-12:00", "2000-03-01T00:00:00Z",
		} {
			got, ok := plainTime([]byte(s))
			require.True(t, ok, s)
			assertSameTime(t, timeOwn(t, s), got, s)
		}
		time.Local = saved
	}
	for _, s := range []string{
		"2016-12-31T23:59:60Z", "2023-02-29T00:00:00Z", "2023-12-25T24:00:00Z", "2023-12-25T22:00:01.1234567891Z", "2023-12-25T22:00:01.Z",
		"2023-12-25T22:00:01+24:00", "2023-12-25 22:00:01Z", "+023-12-25T22:00:01Z", "2023-12-25T22:00:01", "2023-12-25T22:00:01+0100",
	} {
		_, ok := plainTime([]byte(s))
		assert.False(t, ok, "%s is left to time.Time", s)
	}
}

// FuzzTime: whatever the bytes, Time reads what time.Time reads (after
// RFC 3339's lower-case letters), the direct way or not.
func FuzzTime(f *testing.F) {
	for _, s := range []string{"2025-06-30T16:40:23+02:00", "2023-12-25T22:00:01.538212317Z", "2023-12-25t22:00:01.5z", "2016-12-31T23:59:60Z", "2023-02-29T00:00:00Z"} {
		f.Add([]byte(s))
	}
	f.Add([]byte("2023-12-25 21:59:59"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := plainTime(b)
		if ok {
			assertSameTime(t, timeOwn(t, string(b)), got, string(b))
		}
		assert.Equal(t, ok, IsPlainTime(b), "%q", b)
		if got, ok := DateTime(b); ok {
			want, err := time.Parse("2006-01-02 15:04:05", string(b))
			require.NoError(t, err, "%q", b)
			assert.True(t, want == got, "%q: %#v, want %#v", b, got, want)
		}
	})
}

// DateTime reads "2006-01-02 15:04:05" as time.Parse does, and leaves to it
// whatever else it might take.
func TestDateTime(t *testing.T) {
	for _, s := range []string{"2023-12-25 21:59:59", "2024-02-29 00:00:00", "0001-01-01 00:00:00"} {
		got, ok := DateTime([]byte(s))
		require.True(t, ok, s)
		want, err := time.Parse("2006-01-02 15:04:05", s)
		require.NoError(t, err)
		assert.True(t, want == got, s)
	}
	for _, s := range []string{"2023-12-25 21:59:59.5", "2023-02-29 00:00:00", "2023-12-25T21:59:59", "2023-12-25 24:00:00", "2023-12-25 1:00:00"} {
		_, ok := DateTime([]byte(s))
		assert.False(t, ok, s)
	}
}

// timeOwn is what time.Time's UnmarshalText reads from s, RFC 3339's
// lower-case "t" and "z" made upper-case first.
func timeOwn(t *testing.T, s string) time.Time {
	t.Helper()
	b := []byte(s)
	if len(b) > 10 && b[10] == 't' {
		b[10] = 'T'
	}
	if len(b) > 0 && b[len(b)-1] == 'z' {
		b[len(b)-1] = 'Z'
	}
	var want time.Time
	require.NoError(t, want.UnmarshalText(b), s)
	return want
}

// assertSameTime checks got is want: == when their location is shared
// (UTC, Local, the zones time.FixedZone shares: unnamed, whole hours from
// -12 to +14), else the same instant, zone name and offset in a location of
// the same name.
func assertSameTime(t *testing.T, want, got time.Time, s string) {
	t.Helper()
	wantName, wantOffset := want.Zone()
	gotName, gotOffset := got.Zone()
	assert.True(t, want.Equal(got), "%s: %v, want %v", s, got, want)
	assert.Equal(t, wantName, gotName, s)
	assert.Equal(t, wantOffset, gotOffset, s)
	assert.Equal(t, want.Location().String(), got.Location().String(), s)
	if want.Location() == time.UTC || want.Location() == time.Local || wantOffset%3600 == 0 && wantOffset >= -12*3600 && wantOffset <= 14*3600 && wantName == "" {
		assert.True(t, want == got, "%s: %#v, want %#v", s, got, want)
	}
	wantJSON, _ := want.MarshalJSON()
	gotJSON, _ := got.MarshalJSON()
	assert.Equal(t, string(wantJSON), string(gotJSON), s)
}

// What the tolerant reader reads as a declared type without loss, value by
// value: the rule schemas learn leaves to review rather than widening.
func TestReadsAs(t *testing.T) {
	for _, tc := range []struct {
		value string
		as    []string
	}{
		{`6700`, []string{"integer", "number", "string"}},
		{`"6700"`, []string{"integer", "number", "string"}},
		{`6700.0`, []string{"integer", "number", "string"}},
		{`"67.5"`, []string{"number", "string"}},
		{`67.5`, []string{"number", "string"}},
		{`"true"`, []string{"boolean", "string"}},
		{`false`, []string{"boolean"}},
		{`"abc"`, []string{"string"}},
		{`" 12"`, []string{"string"}},
		{`99999999999999999999`, []string{"number", "string"}},
		{`null`, nil},
		{`{"a":1}`, nil},
	} {
		var got []string
		for _, typ := range []string{"integer", "number", "boolean", "string"} {
			if ReadsAs([]byte(tc.value), typ) {
				got = append(got, typ)
			}
		}
		assert.Equal(t, tc.as, got, tc.value)
	}
}
