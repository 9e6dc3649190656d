package emit

import (
	"encoding/json"

	"github.com/dave/jennifer/jen"
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

// quotedName is a member name as a JSON string, escaped once, here.
func quotedName(name string) string {
	data, err := json.Marshal(name)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return string(data)
}
