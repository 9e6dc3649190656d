package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

// codec is one direction of the JSON code emit writes: decoding (each
// named type's decodeJSON method, webhookimpl's Decode* functions, a
// *webhookimpl.Decoder called d) or encoding (encodeJSON, Encode*, a
// *webhookimpl.Encoder called w). Both map a type to its function the same
// way, so the mapping is written once.
type codec struct {
	method string // the method every named type has
	prefix string // of webhookimpl's functions
	param  string // the decoder's or encoder's name
	state  string // its type in webhookimpl
	fails  bool   // the functions return an error
}

var (
	decoding = codec{method: "decodeJSON", prefix: "Decode", param: "d", state: "Decoder", fails: true}
	encoding = codec{method: "encodeJSON", prefix: "Encode", param: "w", state: "Encoder"}
)

// params is the parameter list of every method of the direction.
func (c codec) params() *jen.Statement {
	return jen.Params(jen.Id(c.param).Op("*").Qual(implPkg, c.state))
}

// call reads or writes target (an addressable expression); pointer says
// target is a pointer to the type, nil for a null.
func (c codec) call(r *ir.TypeRef, target jen.Code, pointer bool) *jen.Statement {
	switch {
	case pointer && c.fails && scalarPtr[r.Kind].name != "":
		// Optional scalars are most fields of a delivery: decoded by one
		// function each rather than DecodePtr calling through a value.
		fn := scalarPtr[r.Kind]
		f := jen.Qual(implPkg, c.prefix+fn.name)
		if fn.generic {
			f = f.Types(typeCode(r))
		}
		return f.Call(jen.Op("&").Add(target), jen.Id(c.param))
	case pointer:
		return jen.Qual(implPkg, c.prefix+"Ptr").Call(jen.Op("&").Add(target), jen.Id(c.param), c.fn(r))
	case r.Kind == ir.Named:
		return jen.Add(target).Dot(c.method).Call(jen.Id(c.param))
	}
	return c.at(r, jen.Op("&").Add(target))
}

// at reads or writes what ptr points to; a named type's ptr must be an
// identifier or a selector.
func (c codec) at(r *ir.TypeRef, ptr jen.Code) *jen.Statement {
	state := jen.Id(c.param)
	switch r.Kind {
	case ir.Named:
		return jen.Add(ptr).Dot(c.method).Call(state)
	case ir.Slice:
		return jen.Qual(implPkg, c.prefix+"Slice").Call(ptr, state, c.fn(r.Elem))
	case ir.Map:
		return jen.Qual(implPkg, c.prefix+"Map").Call(ptr, state, c.fn(r.Elem))
	}
	return c.fn(r).Call(ptr, state)
}

// scalarPtr names webhookimpl's decoder of an optional scalar, by kind,
// and whether it takes the Go type as its type argument.
var scalarPtr = map[ir.RefKind]struct {
	name    string
	generic bool
}{
	ir.String: {"StringPtr", true}, ir.Int64: {"Int64Ptr", true}, ir.UnixSeconds: {"Int64Ptr", true},
	ir.UnixMillis: {"Int64Ptr", true}, ir.Bool: {"BoolPtr", false}, ir.Decimal: {"DecimalPtr", false},
	ir.Time: {"TimePtr", false},
}

// fn is a type's function as a value, of the shape func(*T, *Decoder)
// error or func(*T, *Encoder): a named type's method expression, or one of
// webhookimpl's.
func (c codec) fn(r *ir.TypeRef) *jen.Statement {
	impl := func(name string, types ...jen.Code) *jen.Statement {
		f := jen.Qual(implPkg, c.prefix+name)
		if len(types) > 0 {
			f = f.Types(types...)
		}
		return f
	}
	switch r.Kind {
	case ir.Named:
		return jen.Parens(jen.Op("*").Id(r.Name)).Dot(c.method)
	case ir.String:
		return impl("String", jen.String())
	case ir.Bool:
		return impl("Bool")
	case ir.Int64:
		return impl("Int64", jen.Int64())
	case ir.UnixSeconds, ir.UnixMillis:
		return impl("Int64", typeCode(r))
	case ir.Decimal:
		return impl("Decimal")
	case ir.Time:
		return impl("Time")
	case ir.DateTime:
		return impl("DateTime")
	case ir.Raw:
		return impl("Raw")
	}
	// A slice or map inside a slice or map: a function literal that
	// captures nothing, so it costs no allocation.
	literal := jen.Func().Params(jen.Id("v").Op("*").Add(typeCode(r)), jen.Id(c.param).Op("*").Qual(implPkg, c.state))
	if c.fails {
		return literal.Error().Block(jen.Return(c.at(r, jen.Id("v"))))
	}
	return literal.Block(c.at(r, jen.Id("v")))
}
