package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// WarehouseItem is the stock of one SKU in one warehouse.
type WarehouseItem struct {
	WarehouseItemID  int64   `json:"warehouseitemid"`
	WarehouseID      int64   `json:"warehouseid"`
	SKU              string  `json:"sku"`
	BinLocation      string  `json:"binlocation"`
	DecimalThreshold Decimal `json:"decimalthreshold"` // reorder threshold
	DecimalTotal     Decimal `json:"decimaltotal"`     // stock level
	DecimalReserved  Decimal `json:"decimalreserved"`
	DecimalAvailable Decimal `json:"decimalavailable"`
	MoneyTotal       Money   `json:"moneytotal"` // stock value
	// DateLastModified is the last time the item was part of a transaction.
	DateLastModified    UnixTime `json:"datelastmodified"`
	DateLastStocktaking UnixTime `json:"datelaststocktaking"`
}

// WarehouseItemRequest sets one SKU's item in a warehouse. BinLocation and DecimalThreshold can be
// set in any warehouse; DecimalTotal and MoneyTotal (absolute stock) only in a Virtual one.
type WarehouseItemRequest struct {
	SKU              string   `json:"sku"`
	BinLocation      *string  `json:"binlocation,omitempty"`
	DecimalThreshold *Decimal `json:"decimalthreshold,omitempty"`
	DecimalTotal     *Decimal `json:"decimaltotal,omitempty"`
	MoneyTotal       *Money   `json:"moneytotal,omitempty"`
}

// WarehouseItemListOptions filters a warehouse item list.
type WarehouseItemListOptions struct {
	ListOptions
	// DateLastModifiedFrom and DateLastModifiedTo bound DateLastModified, for incremental stock syncs.
	DateLastModifiedFrom time.Time `url:"datelastmodifiedfrom,unix,omitempty"`
	DateLastModifiedTo   time.Time `url:"datelastmodifiedto,unix,omitempty"`
	// SKU returns the items of these SKUs.
	SKU []string `url:"sku,comma,omitempty"`
}

// WarehouseItemsService manages /sites/{site}/warehouses/{id}/warehouseitems (stock levels). Get it
// from Site.WarehouseItems.
type WarehouseItemsService service

// List returns one page of a warehouse's items.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#get-warehouse-items
func (s *WarehouseItemsService) List(ctx context.Context, warehouseID int64, opts *WarehouseItemListOptions) ([]WarehouseItem, *Response, error) {
	items, resp, err := listOne[WarehouseItem](ctx, s.c, sitePath(s.site, "warehouses", itoa(warehouseID), "warehouseitems"), opts)
	return items, resp, wrapErr(fmt.Sprintf("list items of warehouse %d", warehouseID), err)
}

// All iterates over every item of a warehouse matching opts.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#get-warehouse-items
func (s *WarehouseItemsService) All(ctx context.Context, warehouseID int64, opts *WarehouseItemListOptions) iter.Seq2[WarehouseItem, error] {
	return wrapSeq(listAll[WarehouseItem](ctx, s.c, sitePath(s.site, "warehouses", itoa(warehouseID), "warehouseitems"), opts),
		fmt.Sprintf("list items of warehouse %d", warehouseID))
}

// Set writes warehouse items (PUT, a batch). Setting DecimalTotal or MoneyTotal — absolute stock —
// is only possible in a Virtual warehouse: for any other warehouse Set returns a
// *WarehouseTypeError (errors.Is ErrNotVirtualWarehouse) without sending anything; change its stock
// with WarehouseTransactions.Add or a warehouse batch instead.
//
// The warehouse type comes from the client's record of warehouses it has read (Warehouses.Get,
// List, All); the first time a warehouse is used it is fetched with one GET.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#batch-set-warehouse-items
func (s *WarehouseItemsService) Set(ctx context.Context, warehouseID int64, items []WarehouseItemRequest) (BatchResults, *Response, error) {
	absolute := false
	for i := range items {
		if items[i].SKU == "" {
			return nil, nil, fmt.Errorf("sitoo: set warehouse items: item %d: %w", i, invalidArg("SKU is required"))
		}
		absolute = absolute || items[i].DecimalTotal != nil || items[i].MoneyTotal != nil
	}
	if absolute {
		t, err := (*service)(s).warehouseType(ctx, warehouseID)
		if err != nil {
			return nil, nil, fmt.Errorf("sitoo: set warehouse items: %w", err)
		}
		if !t.IsVirtual() {
			return nil, nil, &WarehouseTypeError{Op: "set absolute stock", WarehouseID: warehouseID, Type: t, Err: ErrNotVirtualWarehouse}
		}
	}
	return sendBatch(ctx, s.c, fmt.Sprintf("set items of warehouse %d", warehouseID), http.MethodPut, sitePath(s.site, "warehouses", itoa(warehouseID), "warehouseitems"), items, 0, true)
}
