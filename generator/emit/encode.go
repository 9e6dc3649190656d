package emit

import (
	"encoding/json"

	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

// emitMarshal writes the MarshalJSON of a named type: an encoder, the
// type's encodeJSON (which nested values call directly), the bytes.
func emitMarshal(f *jen.File, typeName, receiver, doc string) {
	comment(f, doc)
	f.Func().Params(jen.Id(receiver).Id(typeName)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("w").Qual(implPkg, "Encoder"),
		jen.Id(receiver).Dot("encodeJSON").Call(jen.Op("&").Id("w")),
		jen.Return(jen.Id("w").Dot("Bytes").Call()),
	)
	f.Line()
}

// encoderParams is the parameter list of every encodeJSON method.
func encoderParams() *jen.Statement {
	return jen.Params(jen.Id("w").Op("*").Qual(implPkg, "Encoder"))
}

// encodeCall writes target (an addressable expression); pointer says
// target is a pointer to the type, written as null when nil.
func encodeCall(r *ir.TypeRef, target jen.Code, pointer bool) *jen.Statement {
	switch {
	case pointer:
		return jen.Qual(implPkg, "EncodePtr").Call(jen.Op("&").Add(target), jen.Id("w"), encodeFunc(r))
	case r.Kind == ir.Named:
		return jen.Add(target).Dot("encodeJSON").Call(jen.Id("w"))
	}
	return encodeFrom(r, jen.Op("&").Add(target))
}

// encodeFrom writes what ptr points to; a named type's ptr must be an
// identifier or a selector.
func encodeFrom(r *ir.TypeRef, ptr jen.Code) *jen.Statement {
	w := jen.Id("w")
	switch r.Kind {
	case ir.Named:
		return jen.Add(ptr).Dot("encodeJSON").Call(w)
	case ir.Slice:
		return jen.Qual(implPkg, "EncodeSlice").Call(ptr, w, encodeFunc(r.Elem))
	case ir.Map:
		return jen.Qual(implPkg, "EncodeMap").Call(ptr, w, encodeFunc(r.Elem))
	}
	return encodeFunc(r).Call(ptr, w)
}

// encodeFunc is the encoder of a type as a function value, of the shape
// func(*T, *webhookimpl.Encoder).
func encodeFunc(r *ir.TypeRef) *jen.Statement {
	switch r.Kind {
	case ir.Named:
		return jen.Parens(jen.Op("*").Id(r.Name)).Dot("encodeJSON")
	case ir.String:
		return jen.Qual(implPkg, "EncodeString").Types(jen.String())
	case ir.Bool:
		return jen.Qual(implPkg, "EncodeBool")
	case ir.Int64:
		return jen.Qual(implPkg, "EncodeInt64").Types(jen.Int64())
	case ir.UnixSeconds, ir.UnixMillis:
		return jen.Qual(implPkg, "EncodeInt64").Types(typeCode(r))
	case ir.Decimal:
		return jen.Qual(implPkg, "EncodeDecimal")
	case ir.Time:
		return jen.Qual(implPkg, "EncodeTime")
	case ir.DateTime:
		return jen.Qual(implPkg, "EncodeMarshaler").Types(typeCode(r))
	case ir.Raw:
		return jen.Qual(implPkg, "EncodeRaw")
	}
	// A slice or map inside a slice or map.
	return jen.Func().Params(jen.Id("v").Op("*").Add(typeCode(r)), jen.Id("w").Op("*").Qual(implPkg, "Encoder")).Block(
		encodeFrom(r, jen.Id("v")),
	)
}

// quotedName is a member name as a JSON string, escaped once, here.
func quotedName(name string) string {
	data, err := json.Marshal(name)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return string(data)
}
