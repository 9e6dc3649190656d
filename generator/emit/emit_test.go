package emit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/assert"

	"github.com/payhooks/payhooks/generator/ir"
)

// render is a statement as jennifer writes it.
func render(c jen.Code) string { return fmt.Sprintf("%#v", c) }

func TestTypeCode(t *testing.T) {
	for _, tc := range []struct {
		ref  *ir.TypeRef
		want string
	}{
		{&ir.TypeRef{Kind: ir.String}, "string"},
		{&ir.TypeRef{Kind: ir.Int64}, "int64"},
		{&ir.TypeRef{Kind: ir.Decimal}, "webhook.Decimal"},
		{&ir.TypeRef{Kind: ir.Time}, "time.Time"},
		{&ir.TypeRef{Kind: ir.UnixSeconds}, "webhook.UnixSeconds"},
		{&ir.TypeRef{Kind: ir.Raw}, "json.RawMessage"},
		{&ir.TypeRef{Kind: ir.Named, Name: "Checkout"}, "Checkout"},
		{&ir.TypeRef{Kind: ir.Slice, Elem: &ir.TypeRef{Kind: ir.String}}, "[]string"},
		{&ir.TypeRef{Kind: ir.Map, Elem: &ir.TypeRef{Kind: ir.Slice, Elem: &ir.TypeRef{Kind: ir.Named, Name: "Item"}}}, "map[string][]Item"},
	} {
		assert.Equal(t, tc.want, render(typeCode(tc.ref)))
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width int
		want  string
	}{
		{"short text", 20, "short text"},
		{"one two three four", 9, "one two\nthree\nfour"},
		{"averyveryverylongword next", 5, "averyveryverylongword\nnext"},
		{"  spaces   collapse  ", 40, "spaces collapse"},
		{"", 10, ""},
	} {
		assert.Equal(t, tc.want, wrap(tc.text, tc.width), "%q at %d", tc.text, tc.width)
	}
}

func TestValidTagName(t *testing.T) {
	for name, want := range map[string]bool{
		"checkout_id": true, "order-id": true, "名前": true, "a b": true, "x.y": true,
		"": false, "a,b": false, `a"b`: false, "x`y": false, `a\b`: false,
	} {
		assert.Equal(t, want, validTagName(name), "%q", name)
	}
}

func TestKeepsPointer(t *testing.T) {
	types := map[string]*ir.Type{
		"Checkout": {Name: "Checkout", Kind: ir.Struct},
		"Status":   {Name: "Status", Kind: ir.Enum},
		"Source":   {Name: "Source", Kind: ir.Union},
	}
	assert.True(t, keepsPointer(&ir.TypeRef{Kind: ir.Named, Name: "Checkout"}, types), "an object: its own getters are nil-safe")
	assert.True(t, keepsPointer(&ir.TypeRef{Kind: ir.Named, Name: "Source"}, types))
	assert.False(t, keepsPointer(&ir.TypeRef{Kind: ir.Named, Name: "Status"}, types), "an enum: its value")
	assert.False(t, keepsPointer(&ir.TypeRef{Kind: ir.Int64}, types))
}

func TestDocCommentAndCallbackNames(t *testing.T) {
	assert.Equal(t, "onCheckoutPaid", callbackField(&ir.Event{GoName: "CheckoutPaid"}))
	assert.Equal(t, "GetPaidAt", getterName(&ir.Field{GoName: "PaidAt"}))
	lines := docComment("Amount", "Amount in minor units.", "")
	assert.NotEmpty(t, lines)
	assert.Contains(t, render(lines[0]), "// Amount is the amount")
}

// Doc comments read as Go's do ("Name is …", "Name contains …") whatever
// shape the document's words take; where a document says nothing, or says
// a sentence of its own, the fallback names the thing first.
func TestDescribe(t *testing.T) {
	const fallback = "Timestamp is the union of tazapay/tazapay.json#/$defs/timestamp"
	for _, tc := range []struct{ doc, want string }{
		{"", fallback + "."},
		{"Amount in minor units.", "Timestamp is the amount in minor units."},
		{"Contains details about the event.", "Timestamp contains details about the event."},
		{"Indicates whether the rules passed", "Timestamp indicates whether the rules passed."},
		{"When the event was queued.", "Timestamp is when the event was queued."},
		{"Whether the token is active.", "Timestamp says whether the token is active."},
		{"The id of the payment.", "Timestamp is the id of the payment."},
		{"A checkout object is created.", fallback + ". A checkout object is created."},
		{"Sent when a payment fails.", "Timestamp is sent when a payment fails."},
		{"Merchant-defined data.", "Timestamp is merchant-defined data."},
		{"ISO 4217 currency code", "Timestamp is the ISO 4217 currency code."},
		{"Id of the checkout", "Timestamp is the id of the checkout."},
		{"**auLocal**", "Timestamp is **auLocal**."},
		{"Refunds of the payment, when any.", "Timestamp holds the refunds of the payment, when any."},
		{"Headers Finmo sends with the notification.", "Timestamp holds the headers Finmo sends with the notification."},
		{"Status of the session. Closed sessions are final.", "Timestamp is the status of the session. Closed sessions are final."},
		{"Tazapay sends timestamps in three shapes: seconds, RFC 3339.", fallback + ". Tazapay sends timestamps in three shapes: seconds, RFC 3339."},
		{"payment_status of the checkout changes to paid", fallback + ". payment_status of the checkout changes to paid."},
		{"Description of what is being paid for.", "Timestamp is the description of what is being paid for."},
		{"If you use relayed authorisation, this object holds it.", fallback + ". If you use relayed authorisation, this object holds it."},
		{"By JSON kind: an object or a list.", fallback + ". By JSON kind: an object or a list."},
		{"Adyen sends this webhook\n\nwhen   funds move.", fallback + ". Adyen sends this webhook when funds move."},
	} {
		assert.Equal(t, tc.want, describe("Timestamp", tc.doc, fallback), "%q", tc.doc)
	}
}

// Each direction maps a type to its own function the same way, and a
// nested container becomes a literal that captures nothing.
func TestCodecFunctions(t *testing.T) {
	str := &ir.TypeRef{Kind: ir.String}
	item := &ir.TypeRef{Kind: ir.Named, Name: "Item"}
	for _, tc := range []struct {
		c    codec
		ref  *ir.TypeRef
		want string
	}{
		{decoding, str, "webhookimpl.DecodeString[string]"},
		{encoding, str, "webhookimpl.EncodeString[string]"},
		{decoding, &ir.TypeRef{Kind: ir.UnixMillis}, "webhookimpl.DecodeInt64[webhook.UnixMillis]"},
		{encoding, &ir.TypeRef{Kind: ir.Time}, "webhookimpl.EncodeTime"},
		{decoding, &ir.TypeRef{Kind: ir.DateTime}, "webhookimpl.DecodeDateTime"},
		{encoding, &ir.TypeRef{Kind: ir.DateTime}, "webhookimpl.EncodeDateTime"},
		{decoding, item, "(*Item).decodeJSON"},
		{encoding, item, "(*Item).encodeJSON"},
		{decoding, &ir.TypeRef{Kind: ir.Slice, Elem: item},
			"func(v *[]Item, d *webhookimpl.Decoder) error {\n\treturn webhookimpl.DecodeSlice(v, d, (*Item).decodeJSON)\n}"},
		{encoding, &ir.TypeRef{Kind: ir.Map, Elem: str},
			"func(v *map[string]string, w *webhookimpl.Encoder) {\n\twebhookimpl.EncodeMap(v, w, webhookimpl.EncodeString[string])\n}"},
	} {
		// As the right side of an assignment, so a literal renders too.
		got := strings.TrimPrefix(render(jen.Id("_").Op("=").Add(tc.c.fn(tc.ref))), "_ = ")
		assert.Equal(t, tc.want, got)
	}
	// An optional scalar is decoded by its own function, anything else
	// through DecodePtr; encoding has no such shortcut.
	pointer := func(c codec, ref *ir.TypeRef) string { return render(c.call(ref, jen.Id("x").Dot("F"), true)) }
	assert.Equal(t, "webhookimpl.DecodeBoolPtr(&x.F, d)", pointer(decoding, &ir.TypeRef{Kind: ir.Bool}))
	assert.Equal(t, "webhookimpl.DecodeInt64Ptr[webhook.UnixMillis](&x.F, d)", pointer(decoding, &ir.TypeRef{Kind: ir.UnixMillis}))
	assert.Equal(t, "webhookimpl.DecodeStringPtr[string](&x.F, d)", pointer(decoding, str))
	assert.Equal(t, "webhookimpl.DecodePtr(&x.F, d, (*Item).decodeJSON)", pointer(decoding, item))
	assert.Equal(t, "webhookimpl.EncodePtr(&x.F, w, webhookimpl.EncodeBool)", pointer(encoding, &ir.TypeRef{Kind: ir.Bool}))
	assert.Equal(t, "x.F.encodeJSON(w)", render(encoding.call(item, jen.Id("x").Dot("F"), false)))
}
