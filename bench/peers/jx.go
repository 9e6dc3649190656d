package peers

import (
	"github.com/go-faster/jx"

	"github.com/payhooks/payhooks/bench/peers/internal/jxrt"
)

// Hand-written go-faster/jx decoders of the hand-written structs: what a
// team writes for speed without a generator, and the scanner ogen's
// generated code uses. Members the structs do not keep are skipped.

func (x *handFinmo) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "webhook_notification_id":
			x.WebhookNotificationID, err = d.Str()
		case "event_name":
			x.EventName, err = d.Str()
		case "event_type":
			x.EventType, err = d.Str()
		case "created_at":
			x.CreatedAt, err = d.Str()
		case "event_detail":
			err = x.EventDetail.decodeJX(d)
		default:
			err = d.Skip()
		}
		return err
	})
}

func (x *handFinmoCheckout) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "checkout_id":
			x.CheckoutID, err = d.Str()
		case "payin_id":
			x.PayinID, err = optionalString(d)
		case "amount":
			x.Amount, err = d.Float64()
		case "currency":
			x.Currency, err = d.Str()
		case "status":
			x.Status, err = d.Str()
		case "associated_payin_id":
			x.AssociatedPayinID = x.AssociatedPayinID[:0]
			err = d.Arr(func(d *jx.Decoder) error {
				s, err := d.Str()
				x.AssociatedPayinID = append(x.AssociatedPayinID, s)
				return err
			})
		case "metadata":
			x.Metadata, err = anyObject(d)
		case "created_at":
			x.CreatedAt, err = optionalString(d)
		default:
			err = d.Skip()
		}
		return err
	})
}

func (x *handRapyd) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "id":
			x.ID, err = d.Str()
		case "type":
			x.Type, err = d.Str()
		case "status":
			x.Status, err = d.Str()
		case "created_at":
			x.CreatedAt, err = d.Int64()
		case "data":
			err = x.Data.decodeJX(d)
		default:
			err = d.Skip()
		}
		return err
	})
}

func (x *handRapydPayment) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "id":
			x.ID, err = d.Str()
		case "amount":
			x.Amount, err = d.Float64()
		case "currency_code":
			x.CurrencyCode, err = d.Str()
		case "status":
			x.Status, err = d.Str()
		case "paid":
			x.Paid, err = d.Bool()
		case "paid_at":
			x.PaidAt, err = d.Int64()
		case "ewallets":
			x.Ewallets = x.Ewallets[:0]
			err = d.Arr(func(d *jx.Decoder) error {
				var w handRapydWallet
				err := d.ObjBytes(func(d *jx.Decoder, key []byte) error {
					var err error
					switch string(key) {
					case "ewallet_id":
						w.EwalletID, err = d.Str()
					case "amount":
						w.Amount, err = d.Float64()
					default:
						err = d.Skip()
					}
					return err
				})
				x.Ewallets = append(x.Ewallets, w)
				return err
			})
		case "metadata":
			x.Metadata, err = anyObject(d)
		default:
			err = d.Skip()
		}
		return err
	})
}

func (x *handTazapay) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "id":
			x.ID, err = d.Str()
		case "type":
			x.Type, err = d.Str()
		case "created_at":
			x.CreatedAt, err = d.Str()
		case "data":
			err = d.ObjBytes(func(d *jx.Decoder, key []byte) error {
				c := &x.Data
				var err error
				switch string(key) {
				case "id":
					c.ID, err = d.Str()
				case "amount":
					c.Amount, err = d.Int64()
				case "invoice_currency":
					c.InvoiceCurrency, err = d.Str()
				case "payment_status":
					c.PaymentStatus, err = d.Str()
				case "status":
					c.Status, err = d.Str()
				case "customer_details":
					err = d.ObjBytes(func(d *jx.Decoder, key []byte) error {
						var err error
						switch string(key) {
						case "email":
							c.CustomerDetails.Email, err = d.Str()
						case "name":
							c.CustomerDetails.Name, err = d.Str()
						default:
							err = d.Skip()
						}
						return err
					})
				default:
					err = d.Skip()
				}
				return err
			})
		default:
			err = d.Skip()
		}
		return err
	})
}

func (x *handAugustus) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "id":
			x.ID, err = d.Str()
		case "type":
			x.Type, err = d.Str()
		case "date":
			x.Date, err = d.Str()
		case "payload":
			err = x.Payload.decodeJX(d)
		default:
			err = d.Skip()
		}
		return err
	})
}

func (x *handAugustusSession) decodeJX(d *jx.Decoder) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "id":
			x.ID, err = d.Str()
		case "price":
			err = d.ObjBytes(func(d *jx.Decoder, key []byte) error {
				var err error
				switch string(key) {
				case "total":
					x.Price.Total, err = d.Float64()
				case "vat":
					x.Price.VAT, err = d.Float64()
				default:
					err = d.Skip()
				}
				return err
			})
		case "lineItems":
			x.LineItems = x.LineItems[:0]
			err = d.Arr(func(d *jx.Decoder) error {
				var item handAugustusItem
				err := d.ObjBytes(func(d *jx.Decoder, key []byte) error {
					var err error
					switch string(key) {
					case "name":
						item.Name, err = d.Str()
					case "amount":
						item.Amount, err = d.Float64()
					case "quantity":
						item.Quantity, err = d.Int()
					default:
						err = d.Skip()
					}
					return err
				})
				x.LineItems = append(x.LineItems, item)
				return err
			})
		case "metadata":
			x.Metadata, err = anyObject(d)
		default:
			err = d.Skip()
		}
		return err
	})
}

// optionalString reads a string or null.
func optionalString(d *jx.Decoder) (*string, error) {
	if d.Next() == jx.Null {
		return nil, d.Null()
	}
	s, err := d.Str()
	return &s, err
}

// anyObject reads an object of any values, as encoding/json fills a
// map[string]any (numbers as float64); null is a nil map.
func anyObject(d *jx.Decoder) (map[string]any, error) {
	if d.Next() == jx.Null {
		return nil, d.Null()
	}
	m := map[string]any{}
	err := d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		v, err := jxrt.Any(d)
		m[string(key)] = v
		return err
	})
	return m, err
}
