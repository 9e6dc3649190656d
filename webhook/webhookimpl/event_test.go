package webhookimpl

import (
	"encoding/json"
	"runtime"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/webhook"
)

// decodeA knows one event, "a", decoded as a map of raw values.
func decodeA(d *Decoder, name string) (map[string]json.RawMessage, bool, error) {
	if name != "a" {
		return nil, false, nil
	}
	var m map[string]json.RawMessage
	return m, true, DecodeMap(&m, d, DecodeRaw)
}

// The event name and the delivery id are what encoding/json would read
// (the last of repeated names), though ParseEvent reads them in passing.
func TestParseEventReadsNameAndIDAsEncodingJSON(t *testing.T) {
	body := webhook.Addressing{EventPointer: "/type", DeliveryID: "/id"}
	for _, tc := range []struct {
		body, name, id string
		known          bool
	}{
		{`{"type": "a", "id": "x"}`, "a", "x", true},
		{`{"id": "x", "type": "a", "id": "y"}`, "a", "y", true},
		{`{"id": "x", "nested": {"id": "z"}}`, "", "x", false},
		{`{"type": "zz", "id": "x"}`, "zz", "x", false},
		{`{"type": "a", "id": "x", "type": "b"}`, "b", "x", false},
		{`{"type": "b", "id": "x", "type": "a"}`, "a", "x", true},
		{`{"type": 7, "id": "x", "type": "a"}`, "a", "x", true},
		// The name last, as Adyen sends it: read from the end.
		{`{"id": "x", "type": "a"}` + "\n", "a", "x", true},
		{`{"id": "x", "meta": {"type": "b"}, "type": "a"}`, "a", "x", true},
		{`{"id": "x", "type": "zz"}`, "zz", "x", false},
		{`{"id": "x", "s": "\", \"type\": \"a", "type": "b"}`, "b", "x", false},
		{`{"id": "x", "s": "\", \"type\": \"b", "type": "a"}`, "a", "x", true},
	} {
		p, err := ParseEvent(Body{Data: []byte(tc.body)}, "", body, decodeA)
		require.NoError(t, err, tc.body)
		assert.Equal(t, tc.name, p.Name, tc.body)
		assert.Equal(t, tc.id, p.ID, tc.body)
		assert.Equal(t, tc.known, p.Known, tc.body)
	}

	path := webhook.Addressing{EventPointer: "/type", PathPrefix: "/p/", DeliveryID: "/id"}
	p, err := ParseEvent(Body{Data: []byte(`{"id": "x"}`)}, "/p/a", path, decodeA)
	require.NoError(t, err)
	assert.Equal(t, "a", p.Name, "a body naming no event falls back to the path")
	assert.True(t, p.Known)
	assert.Equal(t, "x", p.ID)
	p, err = ParseEvent(Body{Data: []byte(`{"type": "a", "id": "x"}`)}, "/p/b", path, decodeA)
	assert.ErrorContains(t, err, `the request path names event "b" but the signed body names "a"`)
	assert.Equal(t, "a", p.Name)
	assert.Equal(t, "x", p.ID)

	nested := webhook.Addressing{EventPointer: "/meta/type", DeliveryID: "/meta/id"}
	p, err = ParseEvent(Body{Data: []byte(`{"meta": {"type": "a", "id": "m"}}`)}, "", nested, decodeA)
	require.NoError(t, err)
	assert.Equal(t, "a", p.Name)
	assert.Equal(t, "m", p.ID)
}

// Parse, which returns no delivery id, asks for none: a provider keyed on
// the body would otherwise hash all of it on every decode.
func TestParseEventLeavesTheIDOutWhenAsked(t *testing.T) {
	for _, src := range []webhook.Addressing{
		{EventPointer: "/type", DeliveryID: "/id"},
		{EventPointer: "/type", DeliveryID: webhook.BodyDeliveryID},
	} {
		for _, body := range []string{`{"type": "a", "id": "x"}`, `{"id": "x", "type": "a"}`, `{"id": "x", "type": "zz"}`} {
			p, err := ParseEvent(Body{Data: []byte(body)}, "", src, decodeA)
			require.NoError(t, err)
			assert.NotEmpty(t, p.ID, "%s %s", src.DeliveryID, body)
			p, err = ParseEvent(Body{Data: []byte(body), NoID: true}, "", src, decodeA)
			require.NoError(t, err)
			assert.Empty(t, p.ID, "%s %s", src.DeliveryID, body)
			assert.NotEmpty(t, p.Name, body)
		}
	}
}

// A name that comes last is taken from the end of the body, with no pass
// over what comes before it, and only when the decode confirms it; the
// answer is what reading the name at its first occurrence gives.
func TestParseEventTakesALastNameFromTheEnd(t *testing.T) {
	src := webhook.Addressing{EventPointer: "/type", DeliveryID: "/id"}
	for _, tc := range []struct {
		body      string
		confirmed bool
	}{
		{`{"id": "x", "data": {"type": "b", "n": [1, 2]}, "type": "a"}`, true},
		{`{"id": "x", "type": "a"}`, true},
		{`{"type": "a", "id": "x"}`, false},              // not last: no guess
		{`{"type": "b", "id": "x", "type": "a"}`, false}, // repeated: read again
		{`{"id": "x", "type": "zz"}`, false},             // no such event
		{`{"id": "x", "type": "a\u0062"}`, false},        // escaped: no guess
		{`{"id": "x", "k": "\"type\": \"a", "type": "a"}`, true},
		{`{"id": "x", "type": "a"} trailing`, false},     // invalid: no guess
		{`{"id": "x", "bad": [1,], "type": "a"}`, false}, // the decode fails: read again, same error
	} {
		last, ok := namedLast(Body{Data: []byte(tc.body)}, src)
		assert.Equal(t, tc.confirmed, ok, tc.body)
		want, wantErr := namedFirst(Body{Data: []byte(tc.body)}, src)
		got, err := ParseEvent(Body{Data: []byte(tc.body)}, "", src, decodeA)
		assert.Equal(t, wantErr, err, tc.body)
		assert.Equal(t, want, got, tc.body)
		if ok {
			assert.Equal(t, want, last, tc.body)
		}
	}

	_, err := ParseEvent(Body{Data: []byte(`{"note": {}, "type": "a"}`)}, "", src, decodeSample)
	assert.ErrorContains(t, err, "expected string", "a decode error under a guessed name is the decode error")
}

// namedLast and namedFirst take one of ParseEvent's two ways, each on a
// decoder of its own.
func namedLast(in Body, src webhook.Addressing) (Parsed[map[string]json.RawMessage], bool) {
	d := eventDecoder(in, src)
	defer d.Release()
	return parseNamedLast(d, in, "", src, decodeA)
}

func namedFirst(in Body, src webhook.Addressing) (Parsed[map[string]json.RawMessage], error) {
	d := eventDecoder(in, src)
	defer d.Release()
	return parseNamedFirst(d, in, "", src, decodeA)
}

// FuzzParseEventPaths: whenever the name read from the end is confirmed,
// the event, name and id are those of reading it at its first occurrence.
func FuzzParseEventPaths(f *testing.F) {
	for _, s := range []string{`{"id": "x", "data": {"type": "b"}, "type": "a"}`, `{"type": "b", "type": "a"}`, `{"id": "x", "k": "\"type\": \"a", "type": "a"}`, `{"id": 1, "type": "a"}`} {
		f.Add([]byte(s))
	}
	src := webhook.Addressing{EventPointer: "/type", DeliveryID: "/id"}
	f.Fuzz(func(t *testing.T, data []byte) {
		last, ok := namedLast(Body{Data: data}, src)
		if !ok {
			return
		}
		first, err := namedFirst(Body{Data: data}, src)
		require.NoError(t, err, "%q", data)
		assert.Equal(t, first, last, "%q", data)
	})
}

// sample is an event with a string and a raw value, the two kinds of value
// that share the document's bytes.
type sample struct {
	Note string
	Meta json.RawMessage
}

func decodeSample(d *Decoder, _ string) (*sample, bool, error) {
	s := &sample{}
	if err := d.Object(); err != nil {
		return nil, true, err
	}
	for d.Member() {
		var err error
		switch d.Name() {
		case "note":
			err = DecodeString(&s.Note, d)
		case "meta":
			err = DecodeRaw(&s.Meta, d)
		default:
			_, err = d.Keep(nil, d.Name())
		}
		if err != nil {
			return nil, true, err
		}
	}
	return s, true, d.Err()
}

// Parse's caller may reuse its buffer, so nothing decoded shares it: the
// strings and raw values are copied into one arena instead; a generated handler hands over the body it read, and the decoded values
// share it rather than a copy, unless the buffer is much larger than the
// body (they would keep all of it alive).
func TestParseEventSharesOnlyAnOwnedBody(t *testing.T) {
	const doc = `{"type": "a", "id": "d1", "note": "kept", "meta": {"k": 1}}`
	src := webhook.Addressing{EventPointer: "/type", DeliveryID: "/id"}
	within := func(buf []byte, p unsafe.Pointer) bool {
		start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
		return uintptr(p) >= start && uintptr(p) < start+uintptr(len(buf))
	}

	reused := []byte(doc)
	p, err := ParseEvent(Body{Data: reused}, "", src, decodeSample)
	require.NoError(t, err)
	for i := range reused {
		reused[i] = 'x'
	}
	assert.Equal(t, "kept", p.Event.Note)
	assert.JSONEq(t, `{"k": 1}`, string(p.Event.Meta))
	assert.Equal(t, "a", p.Name)
	assert.Equal(t, "d1", p.ID)
	note, meta := uintptr(unsafe.Pointer(unsafe.StringData(p.Event.Note))), uintptr(unsafe.Pointer(unsafe.SliceData(p.Event.Meta)))
	assert.Equal(t, uintptr(len("kept")), meta-note, "the string and the raw value sit side by side in the decoder's arena, which holds what values keep, not a copy of the whole body")

	owned := []byte(doc)
	p, err = ParseEvent(Body{Data: owned, Owned: true}, "", src, decodeSample)
	require.NoError(t, err)
	assert.True(t, within(owned, unsafe.Pointer(unsafe.StringData(p.Event.Note))), "the string shares the body")
	assert.True(t, within(owned, unsafe.Pointer(unsafe.SliceData(p.Event.Meta))), "the raw value shares the body")
	assert.Equal(t, len(p.Event.Meta), cap(p.Event.Meta), "appending to a raw value copies it")
	assert.Equal(t, len(owned), cap(Body{Data: owned, Owned: true}.Keep()))

	roomy := append(make([]byte, 0, 64<<10), doc...)
	p, err = ParseEvent(Body{Data: roomy, Owned: true}, "", src, decodeSample)
	require.NoError(t, err)
	assert.False(t, within(roomy, unsafe.Pointer(unsafe.StringData(p.Event.Note))), "a 64 KiB buffer is not kept for a 60-byte body")

	if !race.Enabled {
		// What the unowned decode keeps, copied: the note, the raw value,
		// and the names and values of the two members kept in Extra.
		kept := len("kept") + len(`{"k": 1}`) + len("type") + len(`"a"`) + len("id") + len(`"d1"`)
		bytes := func(owned bool) float64 {
			return bytesPerRun(10000, func() {
				_, err := ParseEvent(Body{Data: []byte(doc)[:len(doc):len(doc)], Owned: owned}, "", src, decodeSample)
				require.NoError(t, err)
			})
		}
		copied := bytes(false) - bytes(true)
		// Within a byte: an arena chunk is allocated every 160 runs or
		// so, and which runs of the 10 000 allocate one varies.
		assert.GreaterOrEqual(t, copied, float64(kept-1), "sharing spares the copy")
		assert.LessOrEqual(t, copied, float64(kept+8), "the arena's room serves the next decode: a run of decodes allocates what its values keep, not a chunk each")
	}
}

// bytesPerRun is the bytes fn allocates a run, over n runs after one.
func bytesPerRun(n int, fn func()) float64 {
	fn()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		fn()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
}

// ParseEvent reads what the provider's Addressing reads, its own faster
// way: the name a.Event chooses (a mismatch between path and body is an
// error in both) and the id a.ID reads, on every valid document.
func FuzzParseEventIsTheAddressingRule(f *testing.F) {
	for _, s := range []string{`{"id": "x", "data": {"type": "b"}, "type": "a"}`, `{"type": "b", "type": "a"}`, `{"type": "a", "id": "1", "id": "2"}`, `{"id": 1, "type": "a"}`, `{"id": "x"}`, `{"type": 5}`, `{"type": "\u0061"}`, `[1]`} {
		f.Add([]byte(s), "/p/a")
		f.Add([]byte(s), "/p/b")
	}
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		if !json.Valid(data) {
			return
		}
		for _, a := range []webhook.Addressing{
			{EventPointer: "/type", DeliveryID: "/id"},
			{EventPointer: "/type", DeliveryID: "/id", PathPrefix: "/p/"},
			{EventPointer: "/data/type", DeliveryID: webhook.BodyDeliveryID},
			{PathPrefix: "/p/", DeliveryID: "/id"},
		} {
			p, err := ParseEvent(Body{Data: data}, path, a, decodeA)
			name, chooseErr := a.Event(path, data)
			id, _ := a.ID(data)
			if chooseErr != nil {
				require.Error(t, err, "%q on %q: a.Event refuses it", data, path)
				continue
			}
			assert.Equal(t, name, p.Name, "%q on %q", data, path)
			if err == nil {
				assert.Equal(t, id, p.ID, "%q", data)
			}
		}
	})
}
