package emit

import (
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

// emitUnion writes a struct with one field per variant, exactly one of
// which is set after decoding, and the JSON methods that pick it: by the
// discriminator property when there is one, else by the value's JSON kind,
// then by shape (the object variant whose members the object fits best,
// then required properties, trying each variant in order).
func emitUnion(f *jen.File, t *ir.Type) {
	var fields []jen.Code
	for _, v := range t.Variants {
		typ := jen.Add(typeCode(v.Type))
		if !v.Type.Nilable() {
			typ = jen.Op("*").Add(typeCode(v.Type))
		}
		doc := v.Doc
		if doc == "" {
			doc = "The variant for " + strings.Join(v.Kinds, " or ") + " values."
		}
		fields = append(fields, docComment(v.GoName, doc, "")...)
		fields = append(fields, jen.Id(v.GoName).Add(typ))
	}
	comment(f, wrap(typeDoc(t, nil)+" Exactly one field is set.", 97))
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()

	if timeLike(t) {
		emitUnionTime(f, t)
	}
	kinds := unionKinds(t)
	comment(f, "JSONKind names the JSON kinds the union takes, for error messages.")
	f.Func().Params(jen.Id(t.Name)).Id("JSONKind").Params().String().Block(jen.Return(jen.Lit(strings.Join(kinds, " or "))))
	f.Line()

	emitUnmarshal(f, t.Name, "u", "UnmarshalJSON sets the variant the value fits.")
	var body []jen.Code
	body = append(body, jen.Id("kind").Op(":=").Id("d").Dot("Kind").Call())
	if t.Discriminator != "" {
		var cases []jen.Code
		for _, v := range t.Variants {
			cases = append(cases, jen.Case(jen.Lit(v.Const)).Block(
				jen.Return(decoding.call(v.Type, jen.Id("u").Dot(v.GoName), !v.Type.Nilable())),
			))
		}
		body = append(body, jen.If(jen.List(jen.Id("name"), jen.Id("ok")).Op(":=").Id("d").Dot("MemberString").Call(jen.Lit(t.Discriminator)), jen.Id("ok")).Block(
			jen.Switch(jen.Id("name")).Block(cases...),
		))
	}
	if slices.ContainsFunc(t.Variants, func(v *ir.Variant) bool { return sharesKind(t, v) }) {
		body = append(body, jen.Id("start").Op(":=").Id("d").Dot("Mark").Call())
	}
	// Object variants told apart by their members: the one the object fits
	// best first, as payhooks validate decides (a variant that declares its
	// members wins over one it fits only by being open to others).
	if shaped := objectShapes(t); len(shaped) > 1 {
		var shapes, cases []jen.Code
		for i, v := range shaped {
			shapes = append(shapes, jen.Values(jen.Dict{
				jen.Id("Declared"): jen.Index().String().Values(lits(v.Members)...),
				jen.Id("Required"): jen.Index().String().Values(lits(v.Required)...),
			}))
			cases = append(cases, jen.Case(jen.Lit(i)).Block(tryVariant(t, v)...))
		}
		shapesVar := strings.ToLower(t.Name[:1]) + t.Name[1:] + "Shapes"
		comment(f, shapesVar+" are the object variants of "+t.Name+", for Decoder.Closest.")
		f.Var().Id(shapesVar).Op("=").Index().Qual(implPkg, "Shape").Values(shapes...)
		f.Line()
		body = append(body, jen.If(jen.Id("kind").Op("==").Qual(implPkg, "KindObject")).Block(
			jen.Switch(jen.Id("d").Dot("Closest").Call(jen.Id(shapesVar).Op("..."))).Block(cases...),
		))
	}
	for _, v := range t.Variants {
		cond := kindCondition(v.Kinds)
		if len(v.Required) > 0 && sharesKind(t, v) {
			cond = jen.Parens(cond).Op("&&").Id("d").Dot("HasMembers").Call(lits(v.Required)...)
		}
		body = append(body, jen.If(cond).Block(tryVariant(t, v)...))
	}
	body = append(body, jen.Return(jen.Op("&").Qual(webhookPkg, "DecodeError").Values(jen.Dict{
		jen.Id("Err"): jen.Qual("fmt", "Errorf").Call(jen.Lit("no variant of "+t.Name+" fits: expected "+strings.Join(kinds, " or ")+", got %s"), jen.Id("kind")),
	})))
	f.Func().Params(jen.Id("u").Op("*").Id(t.Name)).Id("decodeJSON").Add(decoding.params()).Error().Block(body...)
	f.Line()

	// MarshalJSON
	emitMarshal(f, t.Name, "u", "MarshalJSON encodes the variant that is set, or null when none is.")
	var cases []jen.Code
	for _, v := range t.Variants {
		encode := encoding.at(v.Type, jen.Id("u").Dot(v.GoName))
		if v.Type.Nilable() {
			encode = encoding.call(v.Type, jen.Id("u").Dot(v.GoName), false)
		}
		cases = append(cases, jen.Case(jen.Id("u").Dot(v.GoName).Op("!=").Nil()).Block(encode))
	}
	cases = append(cases, jen.Default().Block(jen.Id("w").Dot("Null").Call()))
	f.Func().Params(jen.Id("u").Op("*").Id(t.Name)).Id("encodeJSON").Add(encoding.params()).Block(jen.Switch().Block(cases...))
	f.Line()
}

// tryVariant decodes the value as variant v and returns it when that
// works; otherwise, when another variant takes the same kind, it rewinds
// to try that one, and else the error is the root cause.
func tryVariant(t *ir.Type, v *ir.Variant) []jen.Code {
	// A variant held through a pointer is decoded into one from the
	// decoder's slabs; a slice or map is held as it is.
	declare := jen.Id("v").Op(":=").Qual(implPkg, "New").Types(typeCode(v.Type)).Call(jen.Id("d"))
	decode := decoding.at(v.Type, jen.Id("v"))
	if v.Type.Nilable() {
		declare, decode = jen.Var().Id("v").Add(typeCode(v.Type)), decoding.call(v.Type, jen.Id("v"), false)
	}
	code := []jen.Code{
		declare,
		jen.Err().Op(":=").Add(decode),
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Id("u").Dot(v.GoName).Op("=").Id("v"), jen.Return(jen.Nil())),
	}
	if sharesKind(t, v) {
		return append(code, jen.Id("d").Dot("Rewind").Call(jen.Id("start")))
	}
	return append(code, jen.Return(jen.Err()))
}

// objectShapes lists the variants that are objects with declared members,
// when another variant takes objects too.
func objectShapes(t *ir.Type) []*ir.Variant {
	var out []*ir.Variant
	for _, v := range t.Variants {
		if len(v.Members) > 0 && slices.Contains(v.Kinds, "object") && sharesKind(t, v) {
			out = append(out, v)
		}
	}
	return out
}

func lits(names []string) []jen.Code {
	out := make([]jen.Code, len(names))
	for i, n := range names {
		out[i] = jen.Lit(n)
	}
	return out
}

// timeLike reports whether every variant is a timestamp.
func timeLike(t *ir.Type) bool {
	for _, v := range t.Variants {
		switch v.Type.Kind {
		case ir.Time, ir.DateTime, ir.UnixSeconds, ir.UnixMillis:
		default:
			return false
		}
	}
	return true
}

// emitUnionTime gives a union of timestamp shapes a Time method, so callers
// need not care which shape the provider sent.
func emitUnionTime(f *jen.File, t *ir.Type) {
	var cases []jen.Code
	for _, v := range t.Variants {
		var value jen.Code
		switch v.Type.Kind {
		case ir.Time:
			value = jen.Op("*").Id("u").Dot(v.GoName)
		case ir.DateTime:
			value = jen.Id("u").Dot(v.GoName).Dot("Time")
		default:
			value = jen.Id("u").Dot(v.GoName).Dot("Time").Call()
		}
		cases = append(cases, jen.Case(jen.Id("u").Dot(v.GoName).Op("!=").Nil()).Block(jen.Return(value)))
	}
	comment(f, "Time returns the instant, whichever shape it was sent in; the zero time when none is set.")
	f.Func().Params(jen.Id("u").Id(t.Name)).Id("Time").Params().Qual("time", "Time").Block(
		jen.Switch().Block(cases...),
		jen.Return(jen.Qual("time", "Time").Values()),
	)
	f.Line()
}

// unionKinds lists the JSON kinds of every variant, once each.
func unionKinds(t *ir.Type) []string {
	var out []string
	for _, v := range t.Variants {
		for _, k := range v.Kinds {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// sharesKind reports whether another variant accepts one of v's kinds.
func sharesKind(t *ir.Type, v *ir.Variant) bool {
	for _, o := range t.Variants {
		if o == v {
			continue
		}
		for _, k := range o.Kinds {
			if slices.Contains(v.Kinds, k) {
				return true
			}
		}
	}
	return false
}

func kindCondition(kinds []string) *jen.Statement {
	var cond *jen.Statement
	for _, k := range kinds {
		c := jen.Id("kind").Op("==").Qual(implPkg, "Kind"+strings.ToUpper(k[:1])+k[1:])
		if cond == nil {
			cond = c
		} else {
			cond = cond.Op("||").Add(c)
		}
	}
	return cond
}
