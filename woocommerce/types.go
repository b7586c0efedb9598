package woocommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/loyalsync/loyalsync/internal/value"
)

// Money is an exact decimal amount (shopspring/decimal), decoded from a JSON string ("10.00"), a
// JSON number (line-item prices, plugin output) or "" (zero). It is never a float64. It encodes as a
// JSON string, the form WooCommerce accepts on input.
type Money = value.Money

// NullMoney is Money that may be unset: "" and null decode to Valid == false, so a product without
// a sale price is told apart from one on sale for 0.00.
type NullMoney = value.NullMoney

// UTCTime is a WooCommerce "*_gmt" timestamp: sent without a zone, in UTC. It decodes to a
// time.Time in UTC; null, "" and "0000-00-00 00:00:00" decode to the zero time.
type UTCTime = value.UTCTime

// LocalTime is a WooCommerce "date_*" timestamp without the "_gmt" suffix: a wall clock in the
// site's timezone, sent without a zone. Prefer the "*GMT" field next to it; LocalTime.In(siteLoc)
// gives the instant when only the local form is available.
type LocalTime = value.LocalTime

// NewMoney parses a decimal string such as "12.34".
func NewMoney(s string) (Money, error) { return value.NewMoney(s) }

// MustMoney is NewMoney for constants; it panics on a malformed literal.
func MustMoney(s string) Money { return value.MustMoney(s) }

// SomeMoney returns a set NullMoney holding m.
func SomeMoney(m Money) NullMoney { return value.SomeMoney(m) }

// Ptr returns a pointer to v, for the optional fields of request types:
// woocommerce.Ptr("completed").
func Ptr[T any](v T) *T { return &v }

// NullInt is an integer that WooCommerce sends as null when unset (stock_quantity, usage_limit,
// low_stock_amount, ...). It also accepts a numeric string and "" (unset), which plugins send.
type NullInt struct {
	Int   int64
	Valid bool
}

// SomeInt returns a set NullInt.
func SomeInt(n int64) NullInt { return NullInt{Int: n, Valid: true} }

// UnmarshalJSON decodes null, "", a number or a numeric string. A number with a zero fraction
// ("5.0", from float stock plugins) is accepted; any other fraction is an error.
func (n *NullInt) UnmarshalJSON(data []byte) error {
	v, ok, err := parseFlexInt(data)
	if err != nil {
		return fmt.Errorf("woocommerce: NullInt: %w", err)
	}
	n.Int, n.Valid = v, ok
	return nil
}

// MarshalJSON encodes null when unset.
func (n NullInt) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, n.Int, 10), nil
}

// FlexInt is an integer documented as a string in some places and sent as a number in others
// (tax rate_id). It decodes from both; null and "" decode to 0.
type FlexInt int64

// UnmarshalJSON decodes a number or a numeric string.
func (n *FlexInt) UnmarshalJSON(data []byte) error {
	v, _, err := parseFlexInt(data)
	if err != nil {
		return fmt.Errorf("woocommerce: FlexInt: %w", err)
	}
	*n = FlexInt(v)
	return nil
}

// parseFlexInt reads null, "", an integer, an integral decimal, or the same in a string.
func parseFlexInt(data []byte) (int64, bool, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return 0, false, fmt.Errorf("empty value")
	}
	if data[0] == 'n' {
		if string(data) == "null" {
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("invalid integer %.32q", data)
	}
	if data[0] == '"' {
		if len(data) < 2 || data[len(data)-1] != '"' {
			return 0, false, fmt.Errorf("invalid integer %.32q", data)
		}
		data = bytes.TrimSpace(data[1 : len(data)-1])
		if len(data) == 0 {
			return 0, false, nil
		}
	}
	if v, err := strconv.ParseInt(string(data), 10, 64); err == nil {
		return v, true, nil
	}
	m, err := value.NewMoney(string(data))
	if err != nil || !m.IsInteger() || !m.BigInt().IsInt64() {
		return 0, false, fmt.Errorf("invalid integer %.32q", data)
	}
	return m.IntPart(), true, nil
}

// FlexString is text that some WooCommerce versions send as a JSON number or boolean instead of
// a string (system status remote_get_response is the HTTP status code, 200, from a live check
// and "200" from the cache). It decodes a string, number or boolean as its text; null is "".
type FlexString string

// UnmarshalJSON decodes a string, a number or a boolean.
func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return fmt.Errorf("woocommerce: FlexString: empty value")
	case data[0] == '"':
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("woocommerce: FlexString: %w", err)
		}
		*s = FlexString(v)
	case string(data) == "null":
		*s = ""
	case string(data) == "true" || string(data) == "false" || json.Valid(data) && (data[0] == '-' || data[0] >= '0' && data[0] <= '9'):
		*s = FlexString(data)
	default:
		return fmt.Errorf("woocommerce: FlexString: not a string, number or boolean: %.32q", data)
	}
	return nil
}

// ManageStock is a product's or variation's manage_stock: false, true, or, on a variation whose
// stock is managed by its parent product, the string "parent".
type ManageStock uint8

// The manage_stock values.
const (
	StockNotManaged      ManageStock = iota // false
	StockManaged                            // true
	StockManagedByParent                    // "parent" (variations only)
)

// Managed reports whether stock is tracked, by the object itself or by its parent.
func (m ManageStock) Managed() bool { return m != StockNotManaged }

// String returns "false", "true" or "parent".
func (m ManageStock) String() string {
	switch m {
	case StockManaged:
		return "true"
	case StockManagedByParent:
		return "parent"
	}
	return "false"
}

// UnmarshalJSON accepts true, false, "parent", null (false), and the legacy strings "yes"/"no",
// "1"/"0" and "true"/"false".
func (m *ManageStock) UnmarshalJSON(data []byte) error {
	switch string(bytes.TrimSpace(data)) {
	case "false", "null", `"no"`, `"0"`, `"false"`, `""`, "0":
		*m = StockNotManaged
	case "true", `"yes"`, `"1"`, `"true"`, "1":
		*m = StockManaged
	case `"parent"`:
		*m = StockManagedByParent
	default:
		return fmt.Errorf("woocommerce: invalid manage_stock %.32q", data)
	}
	return nil
}

// MarshalJSON encodes false, true or "parent".
func (m ManageStock) MarshalJSON() ([]byte, error) {
	if m == StockManagedByParent {
		return []byte(`"parent"`), nil
	}
	return []byte(m.String()), nil
}

// MetaData is one entry of a meta_data list. Value holds the raw JSON, because plugins store any
// JSON there (strings, numbers, objects, arrays); read it with String or Decode.
type MetaData struct {
	ID    int64           `json:"id,omitempty"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	// DisplayKey and DisplayValue are the formatted forms on order line items (read-only).
	DisplayKey   string          `json:"display_key,omitempty"`
	DisplayValue json.RawMessage `json:"display_value,omitempty"`
}

// StringMeta returns a MetaData entry with a string value, for requests.
func StringMeta(key, val string) MetaData {
	b, _ := json.Marshal(val) // a string always marshals
	return MetaData{Key: key, Value: b}
}

// NewMeta returns a MetaData entry whose value is v encoded as JSON.
func NewMeta(key string, v any) (MetaData, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return MetaData{}, fmt.Errorf("woocommerce: meta %q: %w", key, err)
	}
	return MetaData{Key: key, Value: b}, nil
}

// String returns the value as text: a JSON string unquoted, a number or boolean as written, and
// ok == false for null, objects and arrays.
func (m MetaData) String() (s string, ok bool) {
	v := bytes.TrimSpace(m.Value)
	if len(v) == 0 || v[0] == '{' || v[0] == '[' || string(v) == "null" {
		return "", false
	}
	if v[0] == '"' {
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false
		}
		return s, true
	}
	return string(v), true
}

// Decode unmarshals the value into v.
func (m MetaData) Decode(v any) error { return json.Unmarshal(m.Value, v) }

// Meta returns the first entry with key in list, and whether there is one.
func Meta(list []MetaData, key string) (MetaData, bool) {
	for _, m := range list {
		if m.Key == key {
			return m, true
		}
	}
	return MetaData{}, false
}

// Address is a billing or shipping address. Email is present on billing addresses only; Phone on
// billing addresses and, since WooCommerce 5.6, on shipping addresses.
//
// Empty fields are left out when an Address is sent, so an update that sets only City changes only
// the city: WooCommerce replaces each address field it receives, and sending every field would
// wipe the ones left empty. A field cannot be cleared through this type.
type Address struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Company   string `json:"company,omitempty"`
	Address1  string `json:"address_1,omitempty"`
	Address2  string `json:"address_2,omitempty"`
	City      string `json:"city,omitempty"`
	State     string `json:"state,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	Country   string `json:"country,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// Image is a product, variation or category image.
type Image struct {
	ID              int64     `json:"id"`
	DateCreated     LocalTime `json:"date_created"`
	DateCreatedGMT  UTCTime   `json:"date_created_gmt"`
	DateModified    LocalTime `json:"date_modified"`
	DateModifiedGMT UTCTime   `json:"date_modified_gmt"`
	Src             string    `json:"src"`
	Name            string    `json:"name"`
	Alt             string    `json:"alt"`
}

// OptionalImage is an image that may be absent: WooCommerce sends null for a variation or
// category without an image, and some versions send [] (PHP's empty array).
type OptionalImage struct {
	*Image
}

// UnmarshalJSON decodes an image object, null or [].
func (o *OptionalImage) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	o.Image = nil
	switch {
	case string(data) == "null" || string(data) == "[]":
		return nil
	case len(data) > 0 && data[0] == '[':
		var empty []json.RawMessage
		if err := json.Unmarshal(data, &empty); err != nil || len(empty) > 0 {
			return fmt.Errorf("woocommerce: image: expected an object, null or [], got %.32q", data)
		}
		return nil
	}
	img := new(Image)
	if err := json.Unmarshal(data, img); err != nil {
		return err
	}
	o.Image = img
	return nil
}

// MarshalJSON encodes null when absent.
func (o OptionalImage) MarshalJSON() ([]byte, error) {
	if o.Image == nil {
		return []byte("null"), nil
	}
	return json.Marshal(o.Image)
}

// ImageRequest references an existing image by ID or a new one by Src, for requests.
type ImageRequest struct {
	ID   int64  `json:"id,omitempty"`
	Src  string `json:"src,omitempty"`
	Name string `json:"name,omitempty"`
	Alt  string `json:"alt,omitempty"`
}

// Dimensions are a product's dimensions, as WooCommerce sends them: strings in the store's unit.
type Dimensions struct {
	Length string `json:"length"`
	Width  string `json:"width"`
	Height string `json:"height"`
}
