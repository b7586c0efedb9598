package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// WarehouseBatch is a stock-taking or delivery session on a warehouse: create it (Open), add items,
// then Commit it (Closed), which turns the items into one warehouse transaction.
type WarehouseBatch struct {
	WarehouseBatchID int64 `json:"warehousebatchid"`
	WarehouseID      int64 `json:"warehouseid"`
	// WarehouseTransactionID is the transaction the commit created, or nil while open.
	WarehouseTransactionID *int64              `json:"warehousetransactionid"`
	TransactionType        TransactionType     `json:"transactiontype"`
	DateCreated            UnixTime            `json:"datecreated"`
	WarehouseBatchState    WarehouseBatchState `json:"warehousebatchstate"`
	EmailOwner             string              `json:"emailowner"`
	Comment                string              `json:"comment"`
	ShipmentID             *int64              `json:"shipmentid"`
	ExternalID             string              `json:"externalid"`
	ReasonCode             string              `json:"reasoncode"`
}

// WarehouseBatchRequest is the body of a batch add or update. TransactionType is required when
// adding (TransactionTypeStocktaking for a stock count).
type WarehouseBatchRequest struct {
	TransactionType     TransactionType      `json:"transactiontype,omitzero"`
	WarehouseBatchState *WarehouseBatchState `json:"warehousebatchstate,omitempty"`
	EmailOwner          *string              `json:"emailowner,omitempty"`
	Comment             *string              `json:"comment,omitempty"`
	ShipmentID          *int64               `json:"shipmentid,omitempty"`
	ExternalID          *string              `json:"externalid,omitempty"`
	ReasonCode          *string              `json:"reasoncode,omitempty"`
}

// WarehouseBatchItem is one SKU of a batch.
type WarehouseBatchItem struct {
	WarehouseBatchItemID int64    `json:"warehousebatchitemid"`
	WarehouseBatchID     int64    `json:"warehousebatchid"`
	WarehouseItemID      int64    `json:"warehouseitemid"`
	DateModified         UnixTime `json:"datemodified"`
	SKU                  string   `json:"sku"`
	DecimalQuantity      Decimal  `json:"decimalquantity"`
	MoneyPriceIn         Money    `json:"moneypricein"`
	EmailOwner           string   `json:"emailowner"`
	Comment              string   `json:"comment"`
}

// WarehouseBatchItemRequest sets one SKU of a batch. For a stock count DecimalQuantity is the
// counted stock; for a move it is the quantity moved.
type WarehouseBatchItemRequest struct {
	SKU             string  `json:"sku"`
	DecimalQuantity Decimal `json:"decimalquantity"`
	MoneyPriceIn    *Money  `json:"moneypricein,omitempty"`
	EmailOwner      *string `json:"emailowner,omitempty"`
	Comment         *string `json:"comment,omitempty"`
}

// WarehouseBatchListOptions filters a batch list.
type WarehouseBatchListOptions struct {
	ListOptions
	TransactionType     TransactionType     `url:"transactiontype,omitempty"`
	WarehouseBatchState WarehouseBatchState `url:"warehousebatchstate,omitempty"`
}

// WarehouseBatchesService manages /sites/{site}/warehouses/{id}/warehousebatches. Get it from
// Site.WarehouseBatches.
type WarehouseBatchesService service

func (s *WarehouseBatchesService) path(warehouseID int64, segs ...string) string {
	return sitePath(s.site, append([]string{"warehouses", itoa(warehouseID), "warehousebatches"}, segs...)...)
}

// Get returns one batch.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#get-warehouse-batch
func (s *WarehouseBatchesService) Get(ctx context.Context, warehouseID, batchID int64) (*WarehouseBatch, *Response, error) {
	return getOne[WarehouseBatch](ctx, s.c, fmt.Sprintf("get warehouse batch %d", batchID), s.path(warehouseID, itoa(batchID)))
}

// List returns one page of a warehouse's batches.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#get-warehouse-batches
func (s *WarehouseBatchesService) List(ctx context.Context, warehouseID int64, opts *WarehouseBatchListOptions) ([]WarehouseBatch, *Response, error) {
	items, resp, err := listOne[WarehouseBatch](ctx, s.c, s.path(warehouseID), opts)
	return items, resp, wrapErr("list warehouse batches", err)
}

// All iterates over every batch of a warehouse matching opts.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#get-warehouse-batches
func (s *WarehouseBatchesService) All(ctx context.Context, warehouseID int64, opts *WarehouseBatchListOptions) iter.Seq2[WarehouseBatch, error] {
	return wrapSeq(listAll[WarehouseBatch](ctx, s.c, s.path(warehouseID), opts), "list warehouse batches")
}

// Create opens a batch on a warehouse and returns its id. A committed batch becomes a warehouse
// transaction, which Sitoo refuses on Virtual warehouses, so Create refuses a Virtual warehouse
// with a *WarehouseTypeError (errors.Is ErrVirtualWarehouse) without sending anything.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches
func (s *WarehouseBatchesService) Create(ctx context.Context, warehouseID int64, b *WarehouseBatchRequest) (int64, *Response, error) {
	if b == nil || b.TransactionType == 0 {
		return 0, nil, fmt.Errorf("sitoo: create warehouse batch: %w", invalidArg("transaction type is required"))
	}
	t, err := (*service)(s).warehouseType(ctx, warehouseID)
	if err != nil {
		return 0, nil, fmt.Errorf("sitoo: create warehouse batch: %w", err)
	}
	if t.IsVirtual() {
		return 0, nil, &WarehouseTypeError{Op: "create warehouse batch", WarehouseID: warehouseID, Type: t, Err: ErrVirtualWarehouse}
	}
	return s.c.create(ctx, "create warehouse batch", s.path(warehouseID), nil, b, false)
}

// Update changes the fields set in b. Setting the state to Closed commits the batch: use Commit.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#update-warehouse-batch
func (s *WarehouseBatchesService) Update(ctx context.Context, warehouseID, batchID int64, b *WarehouseBatchRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update warehouse batch %d", batchID), s.path(warehouseID, itoa(batchID)), b)
}

// Commit closes an open batch (state 10 → 20), which makes Sitoo apply its items as one warehouse
// transaction. Get the batch afterwards for the transaction id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#update-warehouse-batch
func (s *WarehouseBatchesService) Commit(ctx context.Context, warehouseID, batchID int64) (*Response, error) {
	closed := WarehouseBatchStateClosed
	return s.c.update(ctx, fmt.Sprintf("commit warehouse batch %d", batchID), s.path(warehouseID, itoa(batchID)),
		&WarehouseBatchRequest{WarehouseBatchState: &closed})
}

// ListItems returns one page of a batch's items.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#get-warehouse-batch-items
func (s *WarehouseBatchesService) ListItems(ctx context.Context, warehouseID, batchID int64, opts *ListOptions) ([]WarehouseBatchItem, *Response, error) {
	items, resp, err := listOne[WarehouseBatchItem](ctx, s.c, s.path(warehouseID, itoa(batchID), "warehousebatchitems"), opts)
	return items, resp, wrapErr(fmt.Sprintf("list items of warehouse batch %d", batchID), err)
}

// AllItems iterates over every item of a batch.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#get-warehouse-batch-items
func (s *WarehouseBatchesService) AllItems(ctx context.Context, warehouseID, batchID int64, opts *ListOptions) iter.Seq2[WarehouseBatchItem, error] {
	return wrapSeq(listAll[WarehouseBatchItem](ctx, s.c, s.path(warehouseID, itoa(batchID), "warehousebatchitems"), opts),
		fmt.Sprintf("list items of warehouse batch %d", batchID))
}

// SetItems adds or replaces items of an open batch, by SKU.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#batch-set-warehouse-batch-items
func (s *WarehouseBatchesService) SetItems(ctx context.Context, warehouseID, batchID int64, items []WarehouseBatchItemRequest) (BatchResults, *Response, error) {
	for i := range items {
		if items[i].SKU == "" {
			return nil, nil, fmt.Errorf("sitoo: set warehouse batch items: item %d: %w", i, invalidArg("SKU is required"))
		}
	}
	return sendBatch(ctx, s.c, fmt.Sprintf("set items of warehouse batch %d", batchID), http.MethodPut, s.path(warehouseID, itoa(batchID), "warehousebatchitems"), items, 0, true)
}

// DeleteItems removes items of an open batch, by SKU.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches#batch-delete-warehouse-batch-items
func (s *WarehouseBatchesService) DeleteItems(ctx context.Context, warehouseID, batchID int64, skus []string) (BatchResults, *Response, error) {
	return sendBatch(ctx, s.c, fmt.Sprintf("delete items of warehouse batch %d", batchID), http.MethodDelete, s.path(warehouseID, itoa(batchID), "warehousebatchitems"), keyed("sku", skus), 0, false)
}

// Apply runs a whole batch: it creates the batch, sets the items and commits it, and returns the
// batch id. If setting an item fails, the batch is left open (not committed) and the error says
// which items failed; fix them with SetItems and call Commit, or abandon the batch. The Response
// is the last request's.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-batches
func (s *WarehouseBatchesService) Apply(ctx context.Context, warehouseID int64, b *WarehouseBatchRequest, items []WarehouseBatchItemRequest) (int64, *Response, error) {
	id, resp, err := s.Create(ctx, warehouseID, b)
	if err != nil {
		return 0, resp, err
	}
	rs, resp, err := s.SetItems(ctx, warehouseID, id, items)
	if err == nil {
		err = rs.Err()
	}
	if err != nil {
		return id, resp, fmt.Errorf("sitoo: apply warehouse batch: batch %d left open: %w", id, err)
	}
	resp, err = s.Commit(ctx, warehouseID, id)
	return id, resp, err
}
