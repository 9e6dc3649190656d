package generated_test

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/schemas"
)

// Every getter chain of every bundled event reads from an empty event and
// from a nil one: e.GetData().GetAmount() compiles and answers zero values,
// whether the schema requires the object or not. A getter that handed back
// an object by value would end the chain there (its getters have pointer
// receivers: "cannot call pointer method"), so each getter returning one of
// the package's objects must return a pointer.
func TestEveryGetterChainReadsFromAnEmptyEvent(t *testing.T) {
	events := map[reflect.Type]bool{}
	for _, ex := range examples(t) {
		body, err := fs.ReadFile(schemas.FS, ex.Path)
		require.NoError(t, err)
		e, _, err := parse(t, providerOf(ex.Path), ex.Event, body)
		require.NoError(t, err, ex.Path)
		events[reflect.TypeOf(e)] = true
	}
	require.Len(t, events, 36, "every bundled event of every provider")
	chains := 0
	for typ := range events {
		for _, start := range []reflect.Value{reflect.New(typ.Elem()), reflect.Zero(typ)} {
			walkGetters(t, start, typ.Elem().Name(), map[reflect.Type]bool{}, &chains)
		}
	}
	assert.Greater(t, chains, 1000, "getter chains walked")
}

// walkGetters calls every Get method of v (a pointer to a generated type)
// and follows each one that returns another generated object.
func walkGetters(t *testing.T, v reflect.Value, chain string, seen map[reflect.Type]bool, chains *int) {
	t.Helper()
	if seen[v.Type()] {
		return // a type that contains itself: walked once per chain
	}
	seen[v.Type()] = true
	defer delete(seen, v.Type())
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		if !strings.HasPrefix(m.Name, "Get") || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 {
			continue
		}
		path := chain + "." + m.Name + "()"
		var out reflect.Value
		require.NotPanics(t, func() { out = v.Method(i).Call(nil)[0] }, path)
		*chains++
		result := out.Type()
		if generatedObject(result) {
			t.Errorf("%s returns %s by value: the chain cannot go on to its getters", path, result)
			continue
		}
		if result.Kind() == reflect.Pointer && generatedObject(result.Elem()) {
			walkGetters(t, out, path, seen, chains)
		}
	}
}

// generatedObject reports whether typ is a struct of a generated package.
func generatedObject(typ reflect.Type) bool {
	return typ.Kind() == reflect.Struct && strings.HasPrefix(typ.PkgPath(), "github.com/payhooks/payhooks/generated/")
}
