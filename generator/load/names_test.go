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
