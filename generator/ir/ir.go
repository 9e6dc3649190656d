// Package ir is the provider-neutral model between the schema loader and
// the Go emitter: named types (structs, enums, unions), the fields and type
// references that connect them, and the events a provider sends. The loader
// builds it from JSON Schema or OpenAPI and has already picked every Go
// name, sorted everything and checked for collisions; the emitter reads it
// and never looks at a schema.
package ir

import "github.com/payhooks/payhooks/webhook"

// Reserved are the exported package-level names every generated package
// declares besides its types and constants (the emitter's events.go,
// handler.go and schemas.go): the loader refuses a schema whose type or
// constant would take one. Unexported ones (parseError) cannot meet a
// schema's names, which are all exported.
var Reserved = []string{
	"Addressing", "DeliveryID", "Drift", "Event", "EventName", "Events", "Handler", "NewHandler",
	"Parse", "Schemas", "Scheme", "SecretsFromEnv", "UnknownEvent",
}

// Provider is one provider's generated package.
type Provider struct {
	Name    string // folder name: "finmo"
	Package string // Go package name
	Title   string // "Finmo"
	Doc     string
	// Root is the schema path the provider-level file is generated from.
	Root       string
	Addressing webhook.Addressing // the generated package's Addressing value
	Signature  Signature
	Types      []*Type  // sorted by Name
	Events     []*Event // sorted by Name
	// Envelope is the type every delivery decodes into when its event is
	// unknown; "" when the provider has no shared envelope.
	Envelope string
	// SchemaFiles are the schema files the package embeds, as paths below
	// its schema folder ("finmo/events/CHECKOUT_COMPLETED.json"), sorted.
	SchemaFiles []string
	// Selection is nil when every event of the schemas is generated, and
	// otherwise says which were chosen (Events holds them).
	Selection *Selection
}

// Selection is the events chosen for generation (payhooks generate -events).
type Selection struct {
	Patterns []string // as given: names, or prefixes ending in "*"
	Of       int      // how many events the schemas document
}

// Signature is the provider's signing scheme.
type Signature struct {
	Scheme string
	Header string
	// HMAC holds the parameters of the generic hmac scheme.
	HMAC *HMAC
	// Env are the environment variables the provider's secrets are read
	// from (webhook.SecretsFromEnv), for the generated documentation.
	Env []string
}

// HMAC is a declared HMAC signature's parameters (webhook.HMAC, which emit
// writes out).
type HMAC struct {
	Digest, Encoding, Prefix, Key, Message string
}

// Event is one event the provider sends.
type Event struct {
	Name   string // wire name: "CHECKOUT_COMPLETED"
	GoName string // "CheckoutCompleted": the EventName constant is "Event"+GoName
	Type   string // the struct its payload decodes into
	// Summary names the event in a few words ("Transfer created"), and
	// Doc describes it, from the document.
	Summary string
	Doc     string
	Source  string // schema path its file is generated from
}

// TypeKind is what a named type is.
type TypeKind int

const (
	Struct TypeKind = iota
	Enum
	Union
)

// Type is a named Go type.
type Type struct {
	Name   string
	Kind   TypeKind
	Doc    string
	Source string // "file#pointer" of the schema it comes from
	// From is the schema file named in the generated file's header, and
	// File the generated file holding the type ("checkout_completed.go").
	From string
	File string

	Fields []*Field // Struct, sorted by JSON name

	Values []EnumValue // Enum, in schema order
	Open   bool        // Enum: the values are known, not a closed list

	Variants      []*Variant // Union, in schema order
	Discriminator string     // Union: the property whose const picks the variant, if any
}

// EnumValue is one constant of an enum.
type EnumValue struct {
	GoName string // the constant: type name + GoName
	Value  string
}

// Field is one property of a struct.
type Field struct {
	GoName   string
	JSONName string
	Doc      string
	Type     *TypeRef
	Required bool
	Nullable bool
}

// Pointer reports whether the field is held through a pointer: when it may
// be absent or null and its type has no nil of its own.
func (f *Field) Pointer() bool {
	return (!f.Required || f.Nullable) && !f.Type.Nilable()
}

// Variant is one alternative of a union.
type Variant struct {
	GoName string
	Type   *TypeRef
	// Kinds are the JSON kinds the variant accepts ("object", "string", …).
	Kinds []string
	// Required names the properties an object variant must have, and
	// Members those it declares, for deciding by shape.
	Required, Members []string
	// Const is the discriminator value that selects the variant.
	Const string
	Doc   string
}

// RefKind is what a type reference points to.
type RefKind int

const (
	Named       RefKind = iota // a Type of this package
	String                     // string
	Bool                       // bool
	Int64                      // int64
	Decimal                    // webhook.Decimal: any JSON number, exact
	Time                       // time.Time from an RFC 3339 string
	UnixSeconds                // webhook.UnixSeconds
	UnixMillis                 // webhook.UnixMillis
	DateTime                   // webhook.DateTime ("2006-01-02 15:04:05")
	Raw                        // json.RawMessage: any JSON the schema leaves open
	Slice                      // []Elem
	Map                        // map[string]Elem
)

// TypeRef is the Go type of a field, variant, item or map value.
type TypeRef struct {
	Kind RefKind
	Name string   // Named
	Elem *TypeRef // Slice, Map
}

// Nilable reports whether the Go type has nil.
func (r *TypeRef) Nilable() bool {
	return r.Kind == Raw || r.Kind == Slice || r.Kind == Map
}
