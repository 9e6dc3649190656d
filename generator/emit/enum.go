package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

// emitEnum writes a named string type, a constant per value and Known.
// Any string decodes: an unknown value is kept, and Known says so.
func emitEnum(f *jen.File, t *ir.Type) {
	comment(f, wrap(typeDoc(t, nil), 97))
	f.Type().Id(t.Name).String()
	f.Line()
	var consts []jen.Code
	for _, v := range t.Values {
		consts = append(consts, jen.Id(t.Name+v.GoName).Id(t.Name).Op("=").Lit(v.Value))
	}
	kind := "documented"
	if t.Open {
		kind = "known (the provider documents no full list)"
	}
	comment(f, "The "+kind+" values of "+t.Name+".")
	f.Const().Defs(consts...)
	f.Line()
	var cases []jen.Code
	for _, v := range t.Values {
		cases = append(cases, jen.Id(t.Name+v.GoName))
	}
	comment(f, "decodeJSON reads the value as any string: an unknown value is kept.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("decodeJSON").Add(decoding.params()).Error().Block(
		jen.Return(jen.Qual(implPkg, "DecodeString").Call(jen.Id("x"), jen.Id("d"))),
	)
	f.Line()
	comment(f, "encodeJSON writes the value as a string.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("encodeJSON").Add(encoding.params()).Block(
		jen.Qual(implPkg, "EncodeString").Call(jen.Id("x"), jen.Id("w")),
	)
	f.Line()
	comment(f, "Known reports whether v is one of the "+kind+" values. Unknown values decode\nwithout error; this is how to notice them.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("v")).Block(jen.Case(cases...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
	f.Line()
}
