package load

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGoName(t *testing.T) {
	for wire, want := range map[string]string{
		"checkout_id":                     "CheckoutID",
		"order-id":                        "OrderID",
		"redirectUrl":                     "RedirectURL",
		"webhook_url":                     "WebhookURL",
		"api_key":                         "APIKey",
		"qrcode_url":                      "QrcodeURL",
		"qr_code":                         "QRCode",
		"EAN":                             "EAN",
		"vat":                             "VAT",
		"totalNet":                        "TotalNet",
		"co2Grams":                        "CO2Grams",
		"notification_phone_number_e164":  "NotificationPhoneNumberE164",
		"payin_ids":                       "PayinIDs",
		"CHECKOUT_COMPLETED":              "CheckoutCompleted",
		"checkout.paid":                   "CheckoutPaid",
		"payment_attempt.requires_action": "PaymentAttemptRequiresAction",
		"3d_verification":                 "X3dVerification",
		"HTTPServer":                      "HTTPServer",
		"appId":                           "AppID",
		"id":                              "ID",
		"":                                "X",
		"By method":                       "ByMethod",
		"RFC 3339":                        "RFC3339",
		"merchantAppId":                   "MerchantAppID",
		"x-security-token":                "XSecurityToken",
	} {
		assert.Equal(t, want, GoName(wire), wire)
	}
}

// A generated file is named after its schema or event unless Go would
// leave it out of a build (a test file, a build constraint) or a file
// system refuses it.
func TestGoFile(t *testing.T) {
	for name, want := range map[string]string{
		"CHECKOUT_COMPLETED": "checkout_completed.go",
		"checkout.paid":      "checkout_paid.go",
		"linux":              "linux.go",
		"x_unix":             "x_unix.go", // unix is a build tag, not a file-name constraint
		"a:b":                "a_b.go",
		"ping_test":          "ping_test_gen.go",
		"payment_windows":    "payment_windows_gen.go",
		"order_js":           "order_js_gen.go",
		"notify_386":         "notify_386_gen.go",
		"x.linux":            "x_linux_gen.go",
		"windows_amd64":      "windows_amd64_gen.go",
		"refund_wasip1":      "refund_wasip1_gen.go",
		"CON":                "con_gen.go",
		"aux":                "aux_gen.go",
		"~":                  "x.go",
		".":                  "x.go",
		"..":                 "x.go",
		"":                   "x.go",
	} {
		assert.Equal(t, want, goFile(name), name)
	}
}
