package woocommerce

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WooCommerce stores amounts as sent, so they are written with the store's decimals (issue 12,
// point 21): 8.50 as "8.50", not "8.5"; never rounded; meta_data left alone.
func TestRequestAmountsUseStoreDecimals(t *testing.T) {
	t.Parallel()
	req := &OrderRequest{
		LineItems: []LineItemRequest{{Total: Ptr(MustMoney("8.50")), Subtotal: Ptr(MustMoney("7"))}},
		FeeLines:  []FeeLineRequest{{Total: Ptr(MustMoney("-2.5"))}},
		MetaData:  []MetaData{StringMeta("total", "3.5")},
	}
	b, err := encodeRequestBody(req, 2)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, "8.50", got["line_items"].([]any)[0].(map[string]any)["total"])
	assert.Equal(t, "7.00", got["line_items"].([]any)[0].(map[string]any)["subtotal"])
	assert.Equal(t, "-2.50", got["fee_lines"].([]any)[0].(map[string]any)["total"])
	assert.Equal(t, "3.5", got["meta_data"].([]any)[0].(map[string]any)["value"])

	b, err = encodeRequestBody(&CouponRequest{Amount: Ptr(MustMoney("8.555")), MinimumAmount: Ptr(MustMoney("5"))}, 3)
	require.NoError(t, err)
	assert.JSONEq(t, `{"amount":"8.555","minimum_amount":"5.000"}`, string(b))
	b, err = encodeRequestBody(&CouponRequest{Amount: Ptr(MustMoney("500"))}, 0)
	require.NoError(t, err)
	assert.JSONEq(t, `{"amount":"500"}`, string(b))

	for in, want := range map[string]string{"": "", "abc": "abc", "1.": "1.", "1e3": "1e3", "12": "12.00", "-0.5": "-0.50"} {
		assert.Equal(t, want, padDecimals(in, 2), in)
	}
}

func TestWithPriceDecimals(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, replyJSON(200, `{"id":1}`), WithPriceDecimals(3))
	_, _, err := c.Coupons.Update(t.Context(), 1, &CouponRequest{Amount: Ptr(MustMoney("8.5"))})
	require.NoError(t, err)
	reqs := seen.all()
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"amount":"8.500"}`, reqs[0].body)
	_, err = NewClient("https://example.com", testKey, testSecret, WithPriceDecimals(-1))
	assert.ErrorContains(t, err, "WithPriceDecimals")
}
