package sitoo

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden files in testdata/read and testdata/write spell every field of a Sitoo object with
// the names of Sitoo's documentation. Each decodes into its type without unknown fields and
// encodes back to the same JSON, so a misspelt JSON tag, a missing field or a wrong encoding
// (money without 2 decimals, a date not in Unix seconds) fails here.

func TestGoldenReadTypes(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]any{
		"product": &Product{}, "productvariants": &ProductVariants{}, "resource": &Resource{}, "category": &Category{},
		"manufacturer": &Manufacturer{}, "productgroup": &ProductGroup{}, "pricelist": &PriceList{}, "pricelistitem": &PriceListItem{},
		"warehouse": &Warehouse{}, "warehouseitem": &WarehouseItem{}, "warehousetransaction": &WarehouseTransaction{},
		"warehousebatch": &WarehouseBatch{}, "order": &Order{}, "orderdelivery": &OrderDelivery{}, "voucher": &Voucher{}, "user": &User{},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, filepath.Join("testdata", "read", name+".json"), v)
		})
	}
}

func TestGoldenWriteTypes(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]any{
		"product": &ProductRequest{}, "category": &CategoryRequest{}, "manufacturer": &ManufacturerRequest{},
		"productgroup": &ProductGroupRequest{}, "pricelist": &PriceListRequest{}, "warehouse": &WarehouseRequest{},
		"warehouseitem": &WarehouseItemRequest{}, "warehousetransaction": &WarehouseTransactionRequest{},
		"warehousebatch": &WarehouseBatchRequest{}, "warehousebatchitem": &WarehouseBatchItemRequest{},
		"order": &OrderRequest{}, "orderdelivery": &OrderDeliveryRequest{}, "voucher": &VoucherRequest{}, "user": &UserRequest{},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, filepath.Join("testdata", "write", name+".json"), v)
		})
	}
}

func roundTrip(t *testing.T, file string, v any) {
	t.Helper()
	golden, err := os.ReadFile(file)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(golden))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v), "every field of %s is known", file)
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, string(golden), string(out), "%s encodes back unchanged", file)
}

func TestGoldenProductValues(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile(filepath.Join("testdata", "read", "product.json"))
	require.NoError(t, err)
	var p Product
	require.NoError(t, json.Unmarshal(golden, &p))
	assert.Equal(t, "49.00", p.MoneyPrice.String())
	assert.Equal(t, "25", p.VATValue.String())
	assert.Equal(t, IDList{19, 49}, p.Categories)
	assert.Equal(t, int64(1704067200), p.DateCreated.Unix())
	assert.True(t, p.IsMainVariant())

	golden, err = os.ReadFile(filepath.Join("testdata", "read", "order.json"))
	require.NoError(t, err)
	var o Order
	require.NoError(t, json.Unmarshal(golden, &o))
	assert.Equal(t, OrderStateClosed, o.OrderStateID)
	assert.Equal(t, PaymentStateSuccessful, o.PaymentStateID)
	assert.Equal(t, "R-77", o.AdditionalData[AdditionalDataPOSReceiptID])
	assert.Equal(t, "2.000", o.OrderItems[0].DecimalQuantityTotal.String())
	assert.Nil(t, o.CreditOrderID)
	assert.True(t, o.DateReserved.IsZero())
	assert.Equal(t, OrderLogTypeReadyForPickup, o.OrderLogItems[0].OrderLogTypeID)
}
