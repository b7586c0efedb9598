package woocommerce

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/rest"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// decodeBody decodes a body the way the client does: BOM stripped by the core, NULs by the
// package decoder.
func decodeBody(t testing.TB, name string, v any) []byte {
	t.Helper()
	b := readTestdata(t, name)
	require.NoError(t, unmarshalJSON(rest.StripBOM(b), v))
	return b
}

func money(s string) Money { return MustMoney(s) }

func TestQuirksOrder(t *testing.T) {
	t.Parallel()
	var o Order
	raw := decodeBody(t, "quirks_order.json", &o)
	require.Equal(t, "\xef\xbb\xbf", string(raw[:3]), "golden file starts with a BOM")

	assert.Equal(t, OrderStatus("wc-shipped"), o.Status, "plugin statuses are kept")
	assert.True(t, o.DiscountTotal.IsZero(), `"" money is zero`)
	assert.True(t, o.DiscountTax.IsZero(), "numeric 0 money")
	assert.True(t, o.Total.Equal(money("123.45")))
	// TZ-less local date next to its GMT twin: 01:30 in Stockholm on the DST night is 00:30 UTC.
	assert.Equal(t, time.Date(2025, 3, 30, 0, 30, 0, 0, time.UTC), o.DateCreatedGMT.Time)
	sthlm, err := time.LoadLocation("Europe/Stockholm")
	if err == nil {
		assert.Equal(t, o.DateCreatedGMT.Time, o.DateCreated.In(sthlm))
		assert.Equal(t, o.DateModifiedGMT.Time, o.DateModified.In(sthlm))
	}
	assert.True(t, o.DatePaid.IsZero(), `"" date is unset`)
	assert.True(t, o.DatePaidGMT.IsZero())
	assert.True(t, o.DateCompletedGMT.IsZero(), "null date is unset")

	require.Len(t, o.LineItems, 1)
	li := o.LineItems[0]
	assert.Equal(t, "", li.SKU, "null sku")
	assert.True(t, li.Price.Equal(money("32.92")), "price sent as a JSON number")
	require.NotNil(t, li.Image)
	assert.Equal(t, FlexInt(0), li.Image.ID, `image id ""`)
	assert.Equal(t, FlexInt(4), o.TaxLines[0].RateID, "rate_id as a string")
	require.NotNil(t, o.CouponLines[0].NominalAmount)
	assert.True(t, o.CouponLines[0].NominalAmount.Equal(money("10.5")))

	require.Len(t, o.Refunds, 2)
	assert.True(t, o.Refunds[0].Total.Equal(money("-10")), "refund totals are negative")
	assert.True(t, o.Refunds[1].Total.Equal(money("-0.45")))
	v, ok := o.MetaData[0].String()
	assert.True(t, ok)
	assert.Equal(t, "123", v)
}

func TestQuirksVariation(t *testing.T) {
	t.Parallel()
	var v Variation
	decodeBody(t, "quirks_variation.json", &v)
	assert.Equal(t, StockManagedByParent, v.ManageStock)
	assert.True(t, v.ManageStock.Managed())
	assert.Nil(t, v.Image.Image, "null image")
	assert.Equal(t, SomeInt(7), v.StockQuantity, `stock_quantity "7"`)
	assert.False(t, v.LowStockAmount.Valid, "null low_stock_amount")
	assert.False(t, v.Price.Valid, `"" price is unset`)
	assert.True(t, v.RegularPrice.Valid)
	assert.True(t, v.RegularPrice.Equal(money("49.5")), "numeric price")
	assert.True(t, v.DateOnSaleToGMT.IsZero(), `"" date`)

	wantMeta := map[string]string{
		"_string": `"text"`, "_number": `12.5`, "_bool": `true`, "_null": `null`,
		"_object": `{"a": [1, 2, {"b": "c"}]}`, "_array": `["x", 1, false]`,
	}
	require.Len(t, v.MetaData, len(wantMeta))
	for _, m := range v.MetaData {
		assert.JSONEq(t, wantMeta[m.Key], string(m.Value), m.Key)
	}
	obj, _ := Meta(v.MetaData, "_object")
	var decoded struct {
		A []json.RawMessage `json:"a"`
	}
	require.NoError(t, obj.Decode(&decoded))
	assert.Len(t, decoded.A, 3)
	_, ok := obj.String()
	assert.False(t, ok, "an object has no string form")
	n, _ := Meta(v.MetaData, "_number")
	s, ok := n.String()
	assert.True(t, ok)
	assert.Equal(t, "12.5", s)

	// Round trip keeps "parent" and null.
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"manage_stock":"parent"`)
	assert.Contains(t, string(out), `"image":null`)
}

func TestQuirksProduct(t *testing.T) {
	t.Parallel()
	var p Product
	decodeBody(t, "quirks_product.json", &p)
	assert.Equal(t, ProductType("woosb"), p.Type, "plugin product types are kept")
	assert.Equal(t, ProductStatus("future"), p.Status)
	assert.True(t, p.Price.Valid)
	assert.True(t, p.Price.Equal(money("59.9")), "unquoted price from a bundle plugin")
	assert.True(t, p.SalePrice.Equal(money("59.90")))
	assert.Equal(t, time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC), p.DateCreatedGMT.Time, "space-separated date")
	assert.True(t, p.DateOnSaleFromGMT.IsZero(), "0000-00-00 00:00:00 is unset")
	assert.True(t, p.DateOnSaleFrom.IsZero())
	assert.Equal(t, StockManaged, p.ManageStock)
	assert.False(t, p.StockQuantity.Valid, "null stock_quantity")
	assert.Equal(t, SomeInt(3), p.LowStockAmount)
	assert.Equal(t, FlexInt(12), p.TotalSales, "total_sales as a string")
	require.Len(t, p.Downloads, 2)
	assert.Equal(t, "4", p.Downloads[0].ID, "numeric download id")
	assert.Equal(t, "9f2c1c3e", p.Downloads[1].ID)
}

func TestQuirksCoupon(t *testing.T) {
	t.Parallel()
	var c Coupon
	decodeBody(t, "quirks_coupon.json", &c)
	assert.True(t, c.Amount.Equal(money("10")))
	assert.Equal(t, SomeInt(1), c.UsageLimit)
	assert.False(t, c.UsageLimitPerUser.Valid, `"" usage limit`)
	assert.False(t, c.LimitUsageToXItems.Valid)
	assert.Equal(t, time.Date(2025, 1, 30, 23, 0, 0, 0, time.UTC), c.DateExpiresGMT.Time)
	assert.Equal(t, "2025-01-31T00:00:00", c.DateExpires.String())
}

func TestDecodeErrorsAreTyped(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		into any
		body string
	}{
		"money word":         {new(Order), `{"total":"ten"}`},
		"money object":       {new(Order), `{"total":{}}`},
		"manage_stock other": {new(Variation), `{"manage_stock":"sometimes"}`},
		"null int fraction":  {new(Product), `{"stock_quantity":1.5}`},
		"bad date":           {new(Order), `{"date_created_gmt":"yesterday"}`},
		"image number":       {new(Variation), `{"image":5}`},
		"image full array":   {new(Category), `{"image":[{"id":1}]}`},
		"status number":      {new(Product), `{"status":5}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Error(t, unmarshalJSON([]byte(tc.body), tc.into))
		})
	}
}

func TestNullIntAndFlexInt(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]NullInt{
		`null`: {}, `""`: {}, `5`: SomeInt(5), `"5"`: SomeInt(5), `" 6 "`: SomeInt(6), `5.0`: SomeInt(5),
		`-3`: SomeInt(-3), `"9223372036854775807"`: SomeInt(9223372036854775807),
	} {
		var n NullInt
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, want, n, in)
	}
	for _, bad := range []string{`"x"`, `true`, `{}`, `1e30`, `"1.5"`, `nul`} {
		var n NullInt
		assert.Error(t, json.Unmarshal([]byte(bad), &n), bad)
	}
	b, _ := json.Marshal(struct{ A, B NullInt }{SomeInt(4), NullInt{}})
	assert.JSONEq(t, `{"A":4,"B":null}`, string(b))
}

func TestManageStockValues(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]ManageStock{
		`true`: StockManaged, `false`: StockNotManaged, `"parent"`: StockManagedByParent, `null`: StockNotManaged,
		`"yes"`: StockManaged, `"no"`: StockNotManaged,
	} {
		var m ManageStock
		require.NoError(t, json.Unmarshal([]byte(in), &m), in)
		assert.Equal(t, want, m, in)
	}
	for m, want := range map[ManageStock]string{StockManaged: "true", StockNotManaged: "false", StockManagedByParent: `"parent"`} {
		b, err := json.Marshal(m)
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
}

func TestErrorBodyDecodes(t *testing.T) {
	t.Parallel()
	err := newAPIError(&http.Response{StatusCode: http.StatusBadRequest}, readTestdata(t, "error_invalid_param.json"), authBasic)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "rest_invalid_param", apiErr.Code)
	assert.Equal(t, 400, apiErr.Data.Status)
	assert.Contains(t, apiErr.Data.Params["per_page"], "between 1")
	require.Len(t, apiErr.AdditionalErrors, 1)
	assert.Equal(t, "second", apiErr.AdditionalErrors[0].Message)
	assert.Contains(t, string(apiErr.Data.Raw), "rest_out_of_bounds", "details stay available raw")
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "per_page: per_page must be between")
}

func TestClientDecodesBOMAndNULBodies(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "quirks_order.json")
	c, _ := newTestStore(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) })
	o, resp, err := c.Orders.Get(t.Context(), 901)
	require.NoError(t, err)
	assert.Equal(t, int64(901), o.ID)
	assert.Equal(t, "Malmö", o.Billing.City)
	assert.NotEqual(t, byte(0xef), resp.Body[0], "the BOM is gone from Response.Body too")
}

func TestFlexStringAcceptsStringNumberBoolAndNull(t *testing.T) {
	t.Parallel()
	var st struct {
		Env StatusEnvironment `json:"environment"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"environment":{"remote_get_response":200,"remote_post_response":"200"}}`), &st))
	assert.Equal(t, FlexString("200"), st.Env.RemoteGetResponse, "a live check sends the status code as a number")
	assert.Equal(t, FlexString("200"), st.Env.RemotePostResponse, "the cached form is a string")
	for in, want := range map[string]FlexString{`null`: "", `true`: "true", `-1.5`: "-1.5", `"x"`: "x"} {
		var f FlexString
		require.NoError(t, json.Unmarshal([]byte(in), &f), in)
		assert.Equal(t, want, f, in)
	}
	for _, bad := range []string{`{}`, `[1]`} {
		var f FlexString
		assert.Error(t, json.Unmarshal([]byte(bad), &f), bad)
	}
}

func TestPartialAddressUpdateSendsOnlyTheSetFields(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(CustomerRequest{Billing: &Address{City: "Oslo"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"billing":{"city":"Oslo"}}`, string(b), "empty address fields must not be sent: they would wipe the stored ones")
}
