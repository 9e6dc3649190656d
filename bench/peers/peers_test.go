package peers

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/go-faster/jx"
	"github.com/mailru/easyjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/schemas"
)

// hand is a hand-written struct with its three decoders.
type hand interface {
	easyjson.Marshaler
	easyjson.Unmarshaler
	decodeJX(d *jx.Decoder) error
}

// peerCase is one provider's example: payhooks' generated Parse, and a
// fresh hand-written struct of the same payload.
type peerCase struct {
	name, file string
	parse      func([]byte) (json.Marshaler, error)
	hand       func() hand
}

func peerCases() []peerCase {
	return []peerCase{
		{"finmo", "finmo/examples/CHECKOUT_COMPLETED.json", func(b []byte) (json.Marshaler, error) {
			e, err := finmo.Parse(b)
			return marshaler(e, err)
		}, func() hand { return new(handFinmo) }},
		{"rapyd", "rapyd/examples/PAYMENT_COMPLETED.json", func(b []byte) (json.Marshaler, error) {
			e, err := rapyd.Parse(b)
			return marshaler(e, err)
		}, func() hand { return new(handRapyd) }},
		{"tazapay", "tazapay/examples/checkout.paid.json", func(b []byte) (json.Marshaler, error) {
			e, err := tazapay.Parse(b)
			return marshaler(e, err)
		}, func() hand { return new(handTazapay) }},
		{"augustus", "augustus/examples/checkout_session_completed.json", func(b []byte) (json.Marshaler, error) {
			e, err := augustus.Parse("/api/service/webhook-event/checkout_session_completed", b)
			return marshaler(e, err)
		}, func() hand { return new(handAugustus) }},
	}
}

func marshaler(e any, err error) (json.Marshaler, error) {
	if err != nil {
		return nil, err
	}
	return e.(json.Marshaler), nil
}

func body(tb testing.TB, file string) []byte {
	data, err := fs.ReadFile(schemas.FS, file)
	require.NoError(tb, err)
	return data
}

// The three peers decode each example into the same struct, so the
// benchmarks compare like with like.
func TestPeersDecodeAlike(t *testing.T) {
	for _, c := range peerCases() {
		data := body(t, c.file)
		want := c.hand()
		require.NoError(t, json.Unmarshal(data, want), c.name)
		viaEasyjson := c.hand()
		require.NoError(t, easyjson.Unmarshal(data, viaEasyjson), c.name)
		assert.Equal(t, want, viaEasyjson, "%s: easyjson", c.name)
		viaJX := c.hand()
		require.NoError(t, viaJX.decodeJX(jx.DecodeBytes(data)), c.name)
		assert.Equal(t, want, viaJX, "%s: jx", c.name)
		_, err := c.parse(data)
		require.NoError(t, err, c.name)
	}
}

// The generated decoders allocate no more than encoding/json decoding the
// same payload into a hand-written struct that keeps far fewer of its
// fields (without the race detector, which adds allocations).
func TestParseAllocatesNoMoreThanAHandWrittenStruct(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations")
	}
	for _, c := range peerCases() {
		data := body(t, c.file)
		typed := testing.AllocsPerRun(100, func() {
			_, err := c.parse(data)
			require.NoError(t, err)
		})
		hand := testing.AllocsPerRun(100, func() { require.NoError(t, json.Unmarshal(data, c.hand())) })
		assert.LessOrEqual(t, typed, hand, "%s: Parse %v allocations, encoding/json into the hand-written struct %v", c.name, typed, hand)
	}
}

// BenchmarkLean is the lean column, apart from the fair benchmark: the
// hand-written structs keep a dozen of each example's 30-70 fields and
// skip the rest (what reading only a few fields costs), decoded by
// encoding/json, easyjson and jx, beside payhooks' Parse, which decodes
// every field. Rounds and metrics as BenchmarkDecode.
//
//	cd bench/peers && go test -run '^$' -bench Lean -benchtime 20x -count 3
func BenchmarkLean(b *testing.B) {
	for _, c := range peerCases() {
		ex := []example{{file: c.file, body: body(b, c.file)}}
		data := ex[0].body
		b.Run(c.name, func(b *testing.B) {
			inRounds(b, ex, []contender{
				{"payhooks", func() error { _, err := c.parse(data); return err }},
				{"lean-encoding-json", func() error { return json.Unmarshal(data, c.hand()) }},
				{"lean-easyjson", func() error { return easyjson.Unmarshal(data, c.hand()) }},
				{"lean-jx", func() error {
					d := jx.GetDecoder()
					defer jx.PutDecoder(d)
					d.ResetBytes(data)
					return c.hand().decodeJX(d)
				}},
			})
		})
	}
}

// BenchmarkEncode writes each example's hand-written struct with
// encoding/json and easyjson, and payhooks' typed event (every field, exact
// money, unknown properties and explicit nulls kept) with its MarshalJSON,
// directly and through json.Marshal, which re-checks and compacts what a
// MarshalJSON returns. The hand-written struct keeps a few of the fields,
// so MB/s are of each contender's own output: the rate at which it writes
// JSON.
func BenchmarkEncode(b *testing.B) {
	for _, c := range peerCases() {
		data := body(b, c.file)
		h := c.hand()
		require.NoError(b, json.Unmarshal(data, h))
		typed, err := c.parse(data)
		require.NoError(b, err)
		run := func(name string, fn func() ([]byte, error)) {
			out, err := fn()
			require.NoError(b, err)
			b.Run(c.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(out)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := fn(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("encoding-json", func() ([]byte, error) { return json.Marshal(h) })
		run("easyjson", func() ([]byte, error) { return easyjson.Marshal(h) })
		run("payhooks", typed.MarshalJSON)
		run("payhooks-via-encoding-json", func() ([]byte, error) { return json.Marshal(typed) })
	}
}
