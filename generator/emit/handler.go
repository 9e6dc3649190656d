package emit

import (
	"path"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/payhooks/payhooks/generator/ir"
)

const validatePkg = "github.com/payhooks/payhooks/validate"

// emitHandler writes the provider's http.Handler: its signing Scheme (from
// the schema), NewHandler, one On<Event> registration per event, and the
// decode/dispatch functions webhook.Core calls.
func emitHandler(f *jen.File, p *ir.Provider) {
	comment(f, wrap("Scheme is how deliveries of "+subject(p)+" are signed, as the schema declares.", 97))
	scheme := jen.Dict{
		jen.Id("Name"):   jen.Lit(p.Signature.Scheme),
		jen.Id("Header"): jen.Lit(p.Signature.Header),
	}
	if h := p.Signature.HMAC; h != nil {
		params := jen.Dict{}
		for name, value := range map[string]string{"Digest": h.Digest, "Encoding": h.Encoding, "Prefix": h.Prefix, "Key": h.Key, "Message": h.Message} {
			if value != "" { // the defaults stay unwritten, as in the schema
				params[jen.Id(name)] = jen.Lit(value)
			}
		}
		scheme[jen.Id("HMAC")] = jen.Op("&").Qual(webhookPkg, "HMAC").Values(params)
	}
	f.Var().Id("Scheme").Op("=").Qual(webhookPkg, "Scheme").Values(scheme)
	f.Line()
	comment(f, "SecretsFromEnv reads the secrets NewHandler verifies with from "+strings.Join(p.Signature.Env, ", ")+".")
	f.Func().Id("SecretsFromEnv").Params().Qual(webhookPkg, "Secrets").Block(
		jen.Return(jen.Qual(webhookPkg, "SecretsFromEnv").Call(jen.Lit(p.Name))),
	)
	f.Line()

	fields := []jen.Code{jen.Id("core").Op("*").Qual(webhookPkg, "Core")}
	for _, e := range p.Events {
		fields = append(fields, jen.Id(callbackField(e)).Func().Params(jen.Qual("context", "Context"), jen.Op("*").Id(e.Type)).Error())
	}
	comment(f, wrap("Handler receives deliveries of "+subject(p)+": POST only, the body capped, the signature "+
		"verified on the raw body, the payload checked against the schema (drift is reported and, "+
		"unless strict, still dispatched), deduplicated by delivery id ("+deliveryIDPlace(p)+"), and "+
		"dispatched to the callback registered for its event. See webhook.Core for the status codes.", 97))
	f.Type().Id("Handler").Struct(fields...)
	f.Line()

	comment(f, "NewHandler returns a Handler that verifies with secrets (see SecretsFromEnv). Register\ncallbacks with the On… methods before serving.")
	f.Func().Id("NewHandler").Params(jen.Id("secrets").Qual(webhookPkg, "Secrets"), jen.Id("opts").Op("...").Qual(webhookPkg, "Option")).Params(jen.Op("*").Id("Handler"), jen.Error()).Block(
		jen.Id("h").Op(":=").Op("&").Id("Handler").Values(),
		jen.List(jen.Id("drift"), jen.Err()).Op(":=").Id("Drift").Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("core"), jen.Err()).Op(":=").Qual(webhookPkg, "NewCore").Call(jen.Qual(webhookPkg, "Config").Values(jen.Dict{
			jen.Id("Provider"):         jen.Lit(p.Name),
			jen.Id("Scheme"):           jen.Id("Scheme"),
			jen.Id("Secrets"):          jen.Id("secrets"),
			jen.Id("Decode"):           jen.Id("h").Dot("decode"),
			jen.Id("DecodeChecksJSON"): jen.True(),
			jen.Id("Registered"):       jen.Id("h").Dot("registered"),
			jen.Id("Dispatch"):         jen.Id("h").Dot("dispatch"),
			jen.Id("Drift"):            jen.Id("drift"),
		}), jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Id("h").Dot("core").Op("=").Id("core"),
		jen.Return(jen.Id("h"), jen.Nil()),
	)
	f.Line()

	for _, e := range p.Events {
		comment(f, "On"+e.GoName+" registers fn for "+strconv.Quote(e.Name)+" deliveries; an error or panic answers 500\nso the provider retries.")
		f.Func().Params(jen.Id("h").Op("*").Id("Handler")).Id("On" + e.GoName).Params(
			jen.Id("fn").Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("e").Op("*").Id(e.Type)).Error(),
		).Block(jen.Id("h").Dot(callbackField(e)).Op("=").Id("fn"))
		f.Line()
	}

	comment(f, "ServeHTTP implements http.Handler.")
	f.Func().Params(jen.Id("h").Op("*").Id("Handler")).Id("ServeHTTP").Params(
		jen.Id("w").Qual("net/http", "ResponseWriter"), jen.Id("r").Op("*").Qual("net/http", "Request"),
	).Block(jen.Id("h").Dot("core").Dot("ServeHTTP").Call(jen.Id("w"), jen.Id("r")))
	f.Line()

	f.Func().Params(jen.Id("h").Op("*").Id("Handler")).Id("decode").Params(jen.Id("path").String(), jen.Id("body").Index().Byte()).Params(jen.Qual(webhookPkg, "Delivery"), jen.Error()).Block(
		// The handler's core hands over the body it read and never writes
		// to it, so the event shares it rather than copying it.
		jen.List(jen.Id("p"), jen.Err()).Op(":=").Id("parse").Call(jen.Id("path"), jen.Qual(implPkg, "Body").Values(jen.Dict{jen.Id("Data"): jen.Id("body"), jen.Id("Owned"): jen.True()})),
		jen.Id("d").Op(":=").Qual(webhookPkg, "Delivery").Values(jen.Dict{jen.Id("ID"): jen.Id("p").Dot("ID"), jen.Id("Event"): jen.Id("p").Dot("Name")}),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("d"), jen.Err())),
		jen.List(jen.Id("d").Dot("Value"), jen.Id("d").Dot("Known")).Op("=").List(jen.Id("p").Dot("Event"), jen.Id("p").Dot("Known")),
		jen.Return(jen.Id("d"), jen.Nil()),
	)
	f.Line()

	var regCases, dispCases []jen.Code
	for _, e := range p.Events {
		regCases = append(regCases, jen.Case(jen.Id("Event"+e.GoName)).Block(jen.Return(jen.Id("h").Dot(callbackField(e)).Op("!=").Nil())))
		dispCases = append(dispCases, jen.Case(jen.Op("*").Id(e.Type)).Block(jen.Return(jen.Id("h").Dot(callbackField(e)).Call(jen.Id("ctx"), jen.Id("e")))))
	}
	f.Func().Params(jen.Id("h").Op("*").Id("Handler")).Id("registered").Params(jen.Id("event").String()).Bool().Block(
		jen.Switch(jen.Id("EventName").Call(jen.Id("event"))).Block(regCases...),
		jen.Return(jen.False()),
	)
	f.Line()
	f.Func().Params(jen.Id("h").Op("*").Id("Handler")).Id("dispatch").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("d").Qual(webhookPkg, "Delivery")).Error().Block(
		jen.Switch(jen.Id("e").Op(":=").Id("d").Dot("Value").Assert(jen.Type())).Block(dispCases...),
		jen.Return(jen.Nil()),
	)
}

// SchemaDir is the folder, inside each generated package, that holds the
// provider's schema files for its go:embed and drift check.
const SchemaDir = "schema"

// EmbedDirective starts each line of schemas.go that names a schema file
// payhooks wrote: the record of what generate may remove again.
const EmbedDirective = "//go:embed "

// emitSchemas embeds the provider's schema files in the package, one
// embed directive per file so that schemas.go records what payhooks wrote,
// and builds the drift check from them, once.
func emitSchemas(f *jen.File, p *ir.Provider) {
	for _, name := range p.SchemaFiles {
		f.Comment(EmbedDirective + strconv.Quote(path.Join(SchemaDir, name)))
	}
	f.Var().Id("schemaFiles").Qual("embed", "FS")
	f.Line()
	comment(f, "Schemas returns the schema files the package was generated from, rooted at the\nprovider folder's parent (\""+p.Name+"/…\").")
	f.Func().Id("Schemas").Params().Qual("io/fs", "FS").Block(
		jen.List(jen.Id("sub"), jen.Err()).Op(":=").Qual("io/fs", "Sub").Call(jen.Id("schemaFiles"), jen.Lit("schema")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Err())),
		jen.Return(jen.Id("sub")),
	)
	f.Line()
	comment(f, "drift is the schema check, compiled at the first call of Drift, not at start-up: a program\nthat only calls Parse links none of the compiling.")
	f.Var().Id("drift").Struct(
		jen.Id("once").Qual("sync", "Once"),
		jen.Id("check").Qual(webhookPkg, "DriftChecker"),
		jen.Id("err").Error(),
	)
	f.Line()
	comment(f, "Drift returns the schema check Handler uses by default, compiled once from Schemas.")
	f.Func().Id("Drift").Params().Params(jen.Qual(webhookPkg, "DriftChecker"), jen.Error()).Block(
		jen.Id("drift").Dot("once").Dot("Do").Call(jen.Func().Params().Block(
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Qual(validatePkg, "New").Call(jen.Id("Schemas").Call()),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("drift").Dot("err").Op("=").Qual("fmt", "Errorf").Call(jen.Lit("compile "+p.Name+" schemas: %w"), jen.Err()),
				jen.Return(),
			),
			jen.Id("drift").Dot("check").Op("=").Qual(validatePkg, "ForProvider").Call(jen.Id("v"), jen.Lit(p.Name)),
		)),
		jen.Return(jen.Id("drift").Dot("check"), jen.Id("drift").Dot("err")),
	)
}

func callbackField(e *ir.Event) string { return "on" + e.GoName }
