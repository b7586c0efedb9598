package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// WarehouseTransaction is a change of stock in a (non-Virtual) warehouse.
type WarehouseTransaction struct {
	WarehouseTransactionID int64           `json:"warehousetransactionid"`
	WarehouseID            int64           `json:"warehouseid"`
	DateCreated            UnixTime        `json:"datecreated"`
	TransactionType        TransactionType `json:"transactiontype"`
	Description            string          `json:"description"`
	// OrderDeliveryID is the order delivery that created the transaction, or nil.
	OrderDeliveryID *int64 `json:"orderdeliveryid"`
	// ShipmentID is the shipment that created the transaction, or nil.
	ShipmentID *int64             `json:"shipmentid"`
	ExternalID string             `json:"externalid"`
	ReasonCode string             `json:"reasoncode"`
	Items      []WarehouseItemLog `json:"items"`
}

// WarehouseItemLog is one SKU's change within a transaction.
type WarehouseItemLog struct {
	WarehouseItemLogID     int64   `json:"warehouseitemlogid"`
	WarehouseItemID        int64   `json:"warehouseitemid"`
	WarehouseTransactionID int64   `json:"warehousetransactionid"`
	SKU                    string  `json:"sku"`
	DecimalQuantity        Decimal `json:"decimalquantity"` // the change
	DecimalTotal           Decimal `json:"decimaltotal"`    // stock after the change
	MoneyPriceIn           Money   `json:"moneypricein"`
	MoneyTotal             Money   `json:"moneytotal"`
	MoneyValue             Money   `json:"moneyvalue"`
}

// WarehouseTransactionRequest adds a transaction. WarehouseID, TransactionType and at least one
// item are required.
type WarehouseTransactionRequest struct {
	WarehouseID     int64             `json:"warehouseid"`
	TransactionType TransactionType   `json:"transactiontype"`
	Description     string            `json:"description,omitzero"`
	ShipmentID      int64             `json:"shipmentid,omitzero"`
	ExternalID      string            `json:"externalid,omitzero"`
	ReasonCode      string            `json:"reasoncode,omitzero"`
	Items           []TransactionItem `json:"items"`
}

// TransactionItem is one SKU's stock change: DecimalQuantity is a signed delta.
type TransactionItem struct {
	SKU             string  `json:"sku"`
	DecimalQuantity Decimal `json:"decimalquantity"`
	MoneyPriceIn    *Money  `json:"moneypricein,omitempty"`
}

// WarehouseTransactionListOptions filters a transaction list. For an incremental sync, list with
// WarehouseTransactionIDFrom set to the last id seen plus one and Sort "warehousetransactionid".
type WarehouseTransactionListOptions struct {
	ListOptions
	WarehouseTransactionID     []int64         `url:"warehousetransactionid,comma,omitempty"`
	WarehouseTransactionIDFrom int64           `url:"warehousetransactionidfrom,omitempty"`
	WarehouseTransactionIDTo   int64           `url:"warehousetransactionidto,omitempty"`
	DateCreatedFrom            time.Time       `url:"datecreatedfrom,unix,omitempty"`
	DateCreatedTo              time.Time       `url:"datecreatedto,unix,omitempty"`
	WarehouseID                int64           `url:"warehouseid,omitempty"`
	TransactionType            TransactionType `url:"transactiontype,omitempty"`
}

// WarehouseTransactionsService manages warehouse transactions. Get it from
// Site.WarehouseTransactions.
type WarehouseTransactionsService service

// List returns one page of the site's transactions (all warehouses, or opts.WarehouseID).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-transactions#get-all-warehouse-transactions
func (s *WarehouseTransactionsService) List(ctx context.Context, opts *WarehouseTransactionListOptions) ([]WarehouseTransaction, *Response, error) {
	items, resp, err := listOne[WarehouseTransaction](ctx, s.c, sitePath(s.site, "warehousetransactions"), opts)
	return items, resp, wrapErr("list warehouse transactions", err)
}

// All iterates over every transaction matching opts.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-transactions#get-all-warehouse-transactions
func (s *WarehouseTransactionsService) All(ctx context.Context, opts *WarehouseTransactionListOptions) iter.Seq2[WarehouseTransaction, error] {
	return wrapSeq(listAll[WarehouseTransaction](ctx, s.c, sitePath(s.site, "warehousetransactions"), opts), "list warehouse transactions")
}

// Get returns one transaction of a warehouse.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-transactions#get-warehouse-transaction
func (s *WarehouseTransactionsService) Get(ctx context.Context, warehouseID, transactionID int64) (*WarehouseTransaction, *Response, error) {
	return getOne[WarehouseTransaction](ctx, s.c, fmt.Sprintf("get warehouse transaction %d", transactionID),
		sitePath(s.site, "warehouses", itoa(warehouseID), "warehousetransactions", itoa(transactionID)))
}

// Add adds transactions. Sitoo takes at most 1000 items per request, so Add packs the
// transactions into requests of at most 1000 items in all; a single transaction of more than 1000
// items is sent as consecutive transactions of at most 1000 items each, with the same fields (an
// ExternalID gets the suffix "-2", "-3", ... on the parts after the first). Each result's Index is
// the position of its transaction in txs (a split transaction has several results with the same
// Index) and its ID is the new transaction id.
//
// Transactions are refused on Virtual warehouses: if any transaction's warehouse is Virtual, Add
// returns a *WarehouseTypeError (errors.Is ErrVirtualWarehouse) and sends nothing. Warehouse types
// come from the client's record, fetched once per warehouse when unknown.
//
// Add is not retried after a network error, since the transactions may have been applied.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouse-transactions#batch-add-warehouse-transactions
func (s *WarehouseTransactionsService) Add(ctx context.Context, txs []WarehouseTransactionRequest) (BatchResults, *Response, error) {
	checked := map[int64]bool{}
	for i, tx := range txs {
		if tx.WarehouseID == 0 || tx.TransactionType == 0 || len(tx.Items) == 0 {
			return nil, nil, fmt.Errorf("sitoo: add warehouse transactions: transaction %d: %w", i,
				invalidArg("warehouse, transaction type and items are required"))
		}
		if checked[tx.WarehouseID] {
			continue
		}
		t, err := (*service)(s).warehouseType(ctx, tx.WarehouseID)
		if err != nil {
			return nil, nil, fmt.Errorf("sitoo: add warehouse transactions: %w", err)
		}
		if t.IsVirtual() {
			return nil, nil, &WarehouseTypeError{Op: "add warehouse transactions", WarehouseID: tx.WarehouseID, Type: t, Err: ErrVirtualWarehouse}
		}
		checked[tx.WarehouseID] = true
	}
	parts, index := splitTransactions(txs, MaxTransactionItems)
	out := make(BatchResults, 0, len(parts))
	var resp *Response
	for _, req := range packTransactions(parts, MaxTransactionItems) {
		var err error
		resp, err = s.c.do(ctx, call{method: http.MethodPost, path: sitePath(s.site, "warehousetransactions"), body: parts[req.from:req.to]}, nil)
		if err != nil {
			return out, resp, fmt.Errorf("sitoo: add warehouse transactions %d..%d: %w", index[req.from], index[req.to-1], err)
		}
		rs, err := decodeBatchResponse(resp.Body, req.to-req.from, req.from)
		for i := range rs {
			rs[i].Index = index[rs[i].Index]
			if ie, ok := rs[i].Err.(*ItemError); ok {
				ie.Index = rs[i].Index
			}
		}
		out = append(out, rs...)
		if err != nil {
			return out, resp, fmt.Errorf("sitoo: add warehouse transactions: %w", err)
		}
	}
	return out, resp, nil
}

// splitTransactions splits every transaction of more than limit items into parts of at most limit
// items, returning the parts and, for each part, the index of its transaction in txs.
func splitTransactions(txs []WarehouseTransactionRequest, limit int) ([]WarehouseTransactionRequest, []int) {
	parts := make([]WarehouseTransactionRequest, 0, len(txs))
	index := make([]int, 0, len(txs))
	for i, tx := range txs {
		for n, start := 1, 0; start < len(tx.Items); n, start = n+1, start+limit {
			part := tx
			part.Items = tx.Items[start:min(start+limit, len(tx.Items))]
			if n > 1 && tx.ExternalID != "" {
				part.ExternalID = fmt.Sprintf("%s-%d", tx.ExternalID, n)
			}
			parts = append(parts, part)
			index = append(index, i)
		}
	}
	return parts, index
}

// span is a half-open range of transactions sent in one request.
type span struct{ from, to int }

// packTransactions groups consecutive transactions into requests of at most limit items in all.
func packTransactions(parts []WarehouseTransactionRequest, limit int) []span {
	var out []span
	from, n := 0, 0
	for i, p := range parts {
		if n > 0 && n+len(p.Items) > limit {
			out = append(out, span{from, i})
			from, n = i, 0
		}
		n += len(p.Items)
	}
	if from < len(parts) {
		out = append(out, span{from, len(parts)})
	}
	return out
}
