package peers

import (
	"encoding/json"
	"io/fs"
	"path"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-faster/jx"
	"github.com/mailru/easyjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	adyenpaymentpeer "github.com/payhooks/payhooks/bench/peers/oapi/adyenpayment"
	adyentokenizationpeer "github.com/payhooks/payhooks/bench/peers/oapi/adyentokenization"
	adyentransferpeer "github.com/payhooks/payhooks/bench/peers/oapi/adyentransfer"
	augustuspeer "github.com/payhooks/payhooks/bench/peers/oapi/augustus"
	finmopeer "github.com/payhooks/payhooks/bench/peers/oapi/finmo"
	rapydpeer "github.com/payhooks/payhooks/bench/peers/oapi/rapyd"
	tazapaypeer "github.com/payhooks/payhooks/bench/peers/oapi/tazapay"
	"github.com/payhooks/payhooks/generated/adyenpayment"
	"github.com/payhooks/payhooks/generated/adyentokenization"
	"github.com/payhooks/payhooks/generated/adyentransfer"
	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/schemas"
)

// fullProvider is one provider of the fair benchmark: payhooks' generated
// Parse beside the struct an OpenAPI generator emits for each of its
// events, from the same schemas, decoded by encoding/json and by whichever
// generated decoders that struct has (easyjson's UnmarshalEasyJSON, a jx
// Decode).
type fullProvider struct {
	name string
	// parse is payhooks' generated Parse; path is the request path, for a
	// provider that names the event there.
	parse func(path string, body []byte) (any, error)
	// full holds a new value of each event's struct by event name.
	full map[string]func() any
	// examples lists the payloads, by default the provider's bundled
	// examples (schemas/<name>/examples).
	examples func(tb testing.TB) []example
}

// fullProviders is the table of the fair benchmark. A provider whose
// peer is a hand-maintained SDK (stripe-go's structs) joins with its
// structs in full; the columns it has no decoder for stay empty.
func fullProviders() []fullProvider {
	return []fullProvider{
		{name: "finmo", parse: func(_ string, b []byte) (any, error) { return finmo.Parse(b) }, full: finmopeer.Events},
		{name: "rapyd", parse: func(_ string, b []byte) (any, error) { return rapyd.Parse(b) }, full: rapydpeer.Events},
		{name: "tazapay", parse: func(_ string, b []byte) (any, error) { return tazapay.Parse(b) }, full: tazapaypeer.Events},
		{name: "augustus", parse: func(p string, b []byte) (any, error) { return augustus.Parse(p, b) }, full: augustuspeer.Events},
		{name: "adyenpayment", parse: func(_ string, b []byte) (any, error) { return adyenpayment.Parse(b) }, full: adyenpaymentpeer.Events},
		{name: "adyentokenization", parse: func(_ string, b []byte) (any, error) { return adyentokenization.Parse(b) }, full: adyentokenizationpeer.Events},
		{name: "adyentransfer", parse: func(_ string, b []byte) (any, error) { return adyentransfer.Parse(b) }, full: adyentransferpeer.Events},
		// Stripe (issue 29) joins here: parse = the generated stripe
		// package's Parse, full = stripe-go's event structs.
	}
}

// example is one payload with the event it carries.
type example struct {
	file, event, path string
	body              []byte
}

// bundledExamples are a bundled provider's examples, each with its event:
// the one the body names, or, for a provider naming it in the request
// path, the one the file is named after.
func bundledExamples(tb testing.TB, name string) []example {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(tb, err)
	p := cat.Provider(name)
	require.NotNil(tb, p, name)
	files, err := fs.Glob(schemas.FS, name+"/examples/*.json")
	require.NoError(tb, err)
	require.NotEmpty(tb, files, name)
	var out []example
	for _, f := range files {
		body, err := fs.ReadFile(schemas.FS, f)
		require.NoError(tb, err)
		ex := example{file: f, body: body}
		if p.Addressing.PathPrefix != "" {
			// Examples of an event named in the path are named after it.
			name, _, _ := strings.Cut(strings.TrimSuffix(path.Base(f), ".json"), ".")
			ex.path = p.Addressing.PathPrefix + name
		}
		ex.event, err = p.Addressing.Event(ex.path, body)
		require.NoError(tb, err, f)
		require.NotEmpty(tb, ex.event, f)
		out = append(out, ex)
	}
	return out
}

func (p fullProvider) examplesOf(tb testing.TB) []example {
	if p.examples != nil {
		return p.examples(tb)
	}
	return bundledExamples(tb, p.name)
}

// newFull is a new value of the example's event struct.
func (p fullProvider) newFull(tb testing.TB, ex example) any {
	newStruct, ok := p.full[ex.event]
	require.True(tb, ok, "%s: no peer struct for event %q", ex.file, ex.event)
	return newStruct()
}

type jxDecoder interface{ Decode(*jx.Decoder) error }

// Every member of every example lands in a declared field of the peer
// structs, so the peers do the work payhooks does: a member the struct
// does not declare would be skipped, which is cheaper than decoding it.
func TestPeerStructsDeclareEveryMember(t *testing.T) {
	for _, p := range fullProviders() {
		for _, ex := range p.examplesOf(t) {
			v := p.newFull(t, ex)
			require.NoError(t, json.Unmarshal(ex.body, v), ex.file)
			var doc any
			require.NoError(t, json.Unmarshal(ex.body, &doc))
			for _, miss := range undeclared(doc, reflect.ValueOf(v), "") {
				t.Errorf("%s: %s is in no declared field of %T", ex.file, miss, v)
			}
		}
	}
}

// undeclared lists the pointers of doc's members that land in no declared
// field of v. A union (oapi-codegen keeps its JSON and reads it through
// As<Variant> methods) counts when one of its variants declares them all;
// a map or an interface{} holds whatever it is given.
func undeclared(doc any, v reflect.Value, at string) []string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			if doc == nil {
				return nil
			}
			if v.Kind() == reflect.Interface {
				return nil // an empty interface{} field: holds anything
			}
			return []string{at + " (decoded to nil)"}
		}
		v = v.Elem()
	}
	if doc == nil {
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return nil
		}
		if _, union := v.Type().FieldByName("union"); union {
			return undeclaredInUnion(doc, v, at)
		}
		obj, ok := doc.(map[string]any)
		if !ok {
			return []string{at + " (not an object)"}
		}
		fields := map[string]int{}
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = i
			}
		}
		_, additional := v.Type().FieldByName("AdditionalProperties")
		var miss []string
		for name, member := range obj {
			i, ok := fields[name]
			switch {
			case ok:
				miss = append(miss, undeclared(member, v.Field(i), at+"/"+name)...)
			case !additional:
				miss = append(miss, at+"/"+name)
			}
		}
		return miss
	case reflect.Slice:
		arr, _ := doc.([]any)
		var miss []string
		for i := range min(len(arr), v.Len()) {
			miss = append(miss, undeclared(arr[i], v.Index(i), at+"/"+strconv.Itoa(i))...)
		}
		return miss
	case reflect.Map:
		obj, _ := doc.(map[string]any)
		var miss []string
		for name, member := range obj {
			if e := v.MapIndex(reflect.ValueOf(name)); e.IsValid() {
				miss = append(miss, undeclared(member, e, at+"/"+name)...)
			}
		}
		return miss
	}
	return nil
}

func undeclaredInUnion(doc any, v reflect.Value, at string) []string {
	pv := reflect.New(v.Type())
	pv.Elem().Set(v)
	best := []string{at + " (no variant of the union reads it)"}
	for i := range pv.NumMethod() {
		m := pv.Type().Method(i)
		if !strings.HasPrefix(m.Name, "As") || m.Type.NumIn() != 1 || m.Type.NumOut() != 2 {
			continue
		}
		out := pv.Method(i).Call(nil)
		if !out[1].IsNil() {
			continue
		}
		if miss := undeclared(doc, out[0], at); len(miss) < len(best) {
			best = miss
		}
	}
	return best
}

// The decoders agree on the values: encoding/json, easyjson and jx fill
// the peer struct alike, and what the struct and payhooks' typed event
// hold re-encodes to the values of the document (timestamps compared as
// instants, numbers as numbers; a null member and an absent one are the
// same to a struct whose optional fields are pointers).
func TestDecodersAgree(t *testing.T) {
	for _, p := range fullProviders() {
		for _, ex := range p.examplesOf(t) {
			want := p.newFull(t, ex)
			require.NoError(t, json.Unmarshal(ex.body, want), ex.file)
			if _, ok := want.(easyjson.Unmarshaler); ok {
				got := p.newFull(t, ex)
				require.NoError(t, easyjson.Unmarshal(ex.body, got.(easyjson.Unmarshaler)), ex.file)
				// easyjson decodes an empty object ({}) into an optional
				// map as a pointer to a nil map (null when encoded),
				// where encoding/json makes an empty one: the same
				// values otherwise, compared as JSON.
				wantJSON, err := json.Marshal(want)
				require.NoError(t, err)
				gotJSON, err := json.Marshal(got)
				require.NoError(t, err)
				assert.Equal(t, withoutEmptyObjects(normal(jsonValue(t, wantJSON))), withoutEmptyObjects(normal(jsonValue(t, gotJSON))), "%s: easyjson", ex.file)
			}
			if _, ok := want.(jxDecoder); ok {
				got := p.newFull(t, ex)
				require.NoError(t, got.(jxDecoder).Decode(jx.DecodeBytes(ex.body)), ex.file)
				assert.Equal(t, want, got, "%s: jx", ex.file)
			}
			var doc any
			require.NoError(t, json.Unmarshal(ex.body, &doc))
			peer, err := json.Marshal(want)
			require.NoError(t, err)
			sameValues(t, ex.file+" via the peer struct", doc, peer)

			event, err := p.parse(ex.path, ex.body)
			require.NoError(t, err, ex.file)
			typed, err := json.Marshal(event)
			require.NoError(t, err)
			sameValues(t, ex.file+" via payhooks", doc, typed)
		}
	}
}

func sameValues(t *testing.T, what string, want any, encoded []byte) {
	t.Helper()
	assert.Equal(t, normal(want), normal(jsonValue(t, encoded)), what)
}

func jsonValue(t *testing.T, encoded []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(encoded, &v))
	return v
}

// withoutEmptyObjects drops members whose value is {}.
func withoutEmptyObjects(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			if m, ok := e.(map[string]any); !ok || len(m) > 0 {
				out[k] = withoutEmptyObjects(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = withoutEmptyObjects(e)
		}
		return out
	}
	return v
}

// normal drops null members and writes RFC 3339 timestamps as UTC
// instants, so documents that say the same thing compare equal.
func normal(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			if e != nil {
				out[k] = normal(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normal(e)
		}
		return out
	case string:
		if ts, err := time.Parse(time.RFC3339, v); err == nil {
			return ts.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

// Parse allocates less often than every peer decoding the same payloads
// into the full struct, and no more bytes than easyjson (without the race
// detector, which adds allocations): its optional values come from slabs,
// its strings from an arena and its arrays are exactly as long as they
// are, where the peers allocate each and grow their slices; its empty
// containers cost nothing. The bytes of each are logged.
func TestParseAllocatesLessOftenThanThePeers(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations")
	}
	for _, p := range fullProviders() {
		cs := p.contenders(t, p.examplesOf(t))
		typed := testing.AllocsPerRun(20, func() { require.NoError(t, cs[0].pass()) })
		bytes := bytesPerPass(t, cs[0].pass)
		for _, c := range cs[1:] {
			if c.name == "encoding-json-any" {
				continue
			}
			peer := testing.AllocsPerRun(20, func() { require.NoError(t, c.pass()) })
			assert.Less(t, typed, peer, "%s: Parse %v allocations a pass over the examples, %s %v", p.name, typed, c.name, peer)
			peerBytes := bytesPerPass(t, c.pass)
			if c.name == "easyjson" {
				assert.LessOrEqual(t, bytes, peerBytes, "%s: Parse %d bytes a pass over the examples, easyjson %d", p.name, bytes, peerBytes)
			}
			t.Logf("%s: Parse %d bytes a pass, %s %d", p.name, bytes, c.name, peerBytes)
		}
	}
}
