package emit

import (
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

// emitStruct writes a struct that keeps unknown properties in Extra and
// remembers explicit nulls (and empty objects) of optional fields, with UnmarshalJSON and
// MarshalJSON that together give back the document they read.
func emitStruct(f *jen.File, t *ir.Type, ev *ir.Event, types map[string]*ir.Type) {
	hasOptional := false
	var fields []jen.Code
	for _, fd := range t.Fields {
		typ := jen.Add(typeCode(fd.Type))
		if fd.Pointer() {
			typ = jen.Op("*").Add(typeCode(fd.Type))
		}
		tag := fd.JSONName
		if !fd.Required {
			tag += ",omitempty"
			hasOptional = true
		}
		fields = append(fields, fieldDoc(fd)...)
		field := jen.Id(fd.GoName).Add(typ)
		// The type's own JSON methods read and write the name; the tag is
		// for readers and reflection, and a name no tag can hold gets none.
		if validTagName(fd.JSONName) {
			field.Tag(map[string]string{"json": tag})
		}
		fields = append(fields, field)
	}
	fields = append(fields, lineComments("Extra holds the properties the schema does not declare, so that encoding\ngives back what was decoded.")...)
	fields = append(fields,
		jen.Id("Extra").Map(jen.String()).Qual(jsonPkg, "RawMessage").Tag(map[string]string{"json": "-"}),
	)
	emptySlot, slots := emptySlots(t)
	if hasOptional {
		nulls := "Nulls"
		if slots > 64 {
			nulls = "ManyNulls"
		}
		fields = append(fields, jen.Id("nulls").Qual(implPkg, nulls))
	}
	comment(f, wrap(typeDoc(t, ev), 97))
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()

	emitUnmarshal(f, t.Name, "x", "UnmarshalJSON decodes the object, keeping properties the schema does not declare in\nExtra. It fails only on a value the field's type cannot hold, naming its JSON pointer.")

	var cases []jen.Code
	for index, fd := range t.Fields {
		atErr := jen.Return(jen.Qual(implPkg, "At").Call(jen.Lit(fd.JSONName), jen.Err()))
		decode := jen.Err().Op(":=").Add(decoding.call(fd.Type, jen.Id("x").Dot(fd.GoName), fd.Pointer()))
		var body []jen.Code
		if fd.Required {
			if !fd.Pointer() && keepsPointer(fd.Type, types) {
				// decodeJSON fills a zero value: a member sent twice is
				// read afresh, as an optional one is into a new value.
				body = append(body, jen.Id("x").Dot(fd.GoName).Op("=").Id(fd.Type.Name).Values())
			}
			body = append(body, jen.If(decode, jen.Err().Op("!=").Nil()).Block(atErr))
		} else {
			sent := jen.If(jen.Id("d").Dot("MaybeNull").Call().Op("&&").Id("d").Dot("Null").Call()).Block(
				jen.Id("x").Dot(fd.GoName).Op("=").Nil(),
				jen.Id("x").Dot("nulls").Dot("Set").Call(jen.Lit(index)),
			)
			if fd.Type.Kind == ir.Map {
				// {} costs no map: the field stays nil and the struct
				// remembers it, as it does a null.
				sent = sent.Else().If(jen.Id("d").Dot("EmptyObject").Call()).Block(
					jen.Id("x").Dot(fd.GoName).Op("=").Nil(),
					jen.Id("x").Dot("nulls").Dot("Set").Call(jen.Lit(emptySlot[index])),
				)
			}
			body = append(body, sent.Else().If(decode, jen.Err().Op("!=").Nil()).Block(atErr))
		}
		cases = append(cases, jen.Case(jen.Lit(fd.JSONName)).Block(body...))
	}
	cases = append(cases, jen.Default().Block(
		jen.List(jen.Id("extra"), jen.Err()).Op(":=").Id("d").Dot("Keep").Call(jen.Id("x").Dot("Extra"), jen.Id("d").Dot("Name").Call()),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("x").Dot("Extra").Op("=").Id("extra"),
	))
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("decodeJSON").Add(decoding.params()).Error().Block(
		jen.If(jen.Err().Op(":=").Id("d").Dot("Object").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.For(jen.Id("d").Dot("Member").Call()).Block(jen.Switch(jen.Id("d").Dot("Name").Call()).Block(cases...)),
		jen.Return(jen.Id("d").Dot("Err").Call()),
	)
	f.Line()

	// MarshalJSON
	emitMarshal(f, t.Name, "x", "MarshalJSON encodes the declared fields, explicit nulls and Extra.")
	var enc []jen.Code
	enc = append(enc, jen.Id("w").Dot("ObjectStart").Call())
	for index, fd := range t.Fields {
		name := jen.Id("w").Dot("Name").Call(jen.Lit(quotedName(fd.JSONName)))
		field := jen.Id("x").Dot(fd.GoName)
		if fd.Required {
			enc = append(enc, name, encoding.call(fd.Type, field, fd.Pointer()))
			continue
		}
		present := encoding.call(fd.Type, field, false)
		if fd.Pointer() {
			present = encoding.at(fd.Type, field)
		}
		sent := jen.If(jen.Id("x").Dot(fd.GoName).Op("!=").Nil()).Block(name, present).Else().If(
			jen.Id("x").Dot("nulls").Dot("Has").Call(jen.Lit(index)),
		).Block(name.Clone(), jen.Id("w").Dot("Null").Call())
		if fd.Type.Kind == ir.Map {
			sent = sent.Else().If(jen.Id("x").Dot("nulls").Dot("Has").Call(jen.Lit(emptySlot[index]))).Block(name.Clone(), jen.Id("w").Dot("EmptyObject").Call())
		}
		enc = append(enc, sent)
	}
	enc = append(enc,
		jen.Id("w").Dot("Extra").Call(jen.Id("x").Dot("Extra")),
		jen.Id("w").Dot("ObjectEnd").Call(),
	)
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("encodeJSON").Add(encoding.params()).Block(enc...)
	f.Line()

	for _, fd := range t.Fields {
		emitGetter(f, t, fd, types)
	}
}

// emptySlots numbers the slots of a struct's nulls (see webhookimpl.Nulls):
// a field's index is its null's slot, and each optional map has one more,
// past the fields, for an empty object. It returns the map fields' slots by
// field index, and how many slots there are.
func emptySlots(t *ir.Type) (map[int]int, int) {
	slots := len(t.Fields)
	empty := map[int]int{}
	for index, fd := range t.Fields {
		if !fd.Required && fd.Type.Kind == ir.Map {
			empty[index] = slots
			slots++
		}
	}
	return empty, slots
}

// emitGetter writes GetX, which works on a nil receiver and an absent field
// alike, as protoc-gen-go's getters do, so a callback can read
// e.GetData().GetPaidAt().Time() without a nil check at each step: an
// object comes back as a pointer, required or not (nil, whose getters
// answer zero values, when absent), a scalar as its value or its zero value.
func emitGetter(f *jen.File, t *ir.Type, fd *ir.Field, types map[string]*ir.Type) {
	field := jen.Id("x").Dot(fd.GoName)
	result := typeCode(fd.Type)
	doc := getterName(fd) + " returns " + fd.GoName + ", or its zero value when x is nil or the property was absent or null."
	var body []jen.Code
	switch {
	case fd.Pointer() && keepsPointer(fd.Type, types):
		result = jen.Op("*").Add(typeCode(fd.Type))
		doc = getterName(fd) + " returns " + fd.GoName + ", or nil when x is nil or the property was absent or null."
		body = []jen.Code{
			jen.If(jen.Id("x").Op("==").Nil()).Block(jen.Return(jen.Nil())),
			jen.Return(field),
		}
	case keepsPointer(fd.Type, types):
		// Required: a pointer to the field, so that chains read the same
		// whether the schema requires the object or not.
		result = jen.Op("*").Add(typeCode(fd.Type))
		doc = getterName(fd) + " returns a pointer to " + fd.GoName + ", or nil when x is nil."
		body = []jen.Code{
			jen.If(jen.Id("x").Op("==").Nil()).Block(jen.Return(jen.Nil())),
			jen.Return(jen.Op("&").Add(field)),
		}
	case fd.Pointer():
		body = []jen.Code{
			jen.If(jen.Id("x").Op("!=").Nil().Op("&&").Add(field.Clone()).Op("!=").Nil()).Block(jen.Return(jen.Op("*").Add(field.Clone()))),
			jen.Var().Id("zero").Add(typeCode(fd.Type)),
			jen.Return(jen.Id("zero")),
		}
	default:
		body = []jen.Code{
			jen.If(jen.Id("x").Op("!=").Nil()).Block(jen.Return(field)),
			jen.Var().Id("zero").Add(typeCode(fd.Type)),
			jen.Return(jen.Id("zero")),
		}
	}
	comment(f, wrap(doc, 97))
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id(getterName(fd)).Params().Add(result).Block(body...)
	f.Line()
}

// getterName is the name of a field's getter.
func getterName(fd *ir.Field) string { return "Get" + fd.GoName }

// keepsPointer reports whether a getter hands back the pointer itself: for
// a struct or union, whose own getters are nil-safe.
func keepsPointer(ref *ir.TypeRef, types map[string]*ir.Type) bool {
	if ref.Kind != ir.Named {
		return false
	}
	t := types[ref.Name]
	return t != nil && t.Kind != ir.Enum
}

// validTagName reports whether encoding/json would take name from a json
// struct tag: letters, digits, spaces and ASCII punctuation other than
// quotes, backslash and comma.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case unicode.IsLetter(c), unicode.IsDigit(c):
		default:
			return false
		}
	}
	return true
}
