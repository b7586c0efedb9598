package sitootest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/sitoo"
)

// Stock rules of the fake, following Sitoo's documentation:
//   - a Virtual warehouse's stock is set absolutely through PUT warehouseitems, and it refuses
//     warehouse transactions (and therefore batches);
//   - any other warehouse's stock (decimaltotal, moneytotal) is read-only through warehouseitems
//     and changes only through transactions, committed batches and order deliveries.
//
// Stocktaking (50) transactions are read-only, as Sitoo documents.

// maxTransactionItems is Sitoo's limit of items per warehouse transactions request.
const maxTransactionItems = 1000

// deliveryTransactionType is the type of the transactions the fake creates for order deliveries.
// Sitoo's examples show 30 on such transactions; the number is not documented.
const deliveryTransactionType sitoo.TransactionType = 30

func (site *site) warehouse(id int64) (*sitoo.Warehouse, error) {
	w, ok := site.warehouses.get(id)
	if !ok {
		return nil, notFound("No warehouse with id %d", id)
	}
	return w, nil
}

func (site *site) hasSKU(sku string) bool {
	_, ok := site.index.bySKU[sku]
	return ok
}

// item returns the warehouse item of a SKU, creating it when create is set.
func (site *site) item(warehouseID int64, sku string, create bool) *sitoo.WarehouseItem {
	if it, ok := site.itemBySKU[warehouseID][sku]; ok {
		return it
	}
	if !create {
		return nil
	}
	it := &sitoo.WarehouseItem{WarehouseItemID: int64(len(site.warehouseItems[warehouseID])+1) + warehouseID*1_000_000,
		WarehouseID: warehouseID, SKU: sku}
	site.warehouseItems[warehouseID] = append(site.warehouseItems[warehouseID], it)
	if site.itemBySKU[warehouseID] == nil {
		site.itemBySKU[warehouseID] = map[string]*sitoo.WarehouseItem{}
	}
	site.itemBySKU[warehouseID][sku] = it
	return it
}

func (s *Server) listWarehouseItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if _, err := site.warehouse(p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	q := s.query(r)
	from, hasFrom := q.int("datelastmodifiedfrom")
	to, hasTo := q.int("datelastmodifiedto")
	skus := q.list("sku")
	items := site.warehouseItems[p.ids[0]]
	if len(skus) > 0 {
		// A lookup by SKU reads the index; ids follow creation order.
		items = nil
		for _, sku := range skus {
			if it, ok := site.itemBySKU[p.ids[0]][sku]; ok && !slices.Contains(items, it) {
				items = append(items, it)
			}
		}
		slices.SortFunc(items, func(a, b *sitoo.WarehouseItem) int { return cmp.Compare(a.WarehouseItemID, b.WarehouseItemID) })
	}
	var out []*sitoo.WarehouseItem
	for _, it := range items {
		mod := it.DateLastModified.Unix()
		if (!hasFrom || mod >= from) && (!hasTo || mod <= to) {
			out = append(out, it)
		}
	}
	writeEnvelope(w, q, out)
}

func (s *Server) setWarehouseItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	wh, err := site.warehouse(p.ids[0])
	if err != nil {
		fail(w, err)
		return
	}
	now := sitoo.NewUnixTime(s.now())
	eachItem(w, r, objectOrArray, func(raw json.RawMessage) (any, error) {
		var req sitoo.WarehouseItemRequest
		if err := decodeStrict(raw, &req); err != nil {
			return nil, err
		}
		switch {
		case req.SKU == "" || !site.hasSKU(req.SKU):
			return nil, badRequest("Invalid value in sku")
		case !wh.WarehouseType.IsVirtual() && (req.DecimalTotal != nil || req.MoneyTotal != nil):
			return nil, badRequest("decimaltotal and moneytotal are read only for warehouses that are not of type Virtual (20)")
		}
		it := site.item(wh.WarehouseID, req.SKU, true)
		if req.BinLocation != nil {
			it.BinLocation = *req.BinLocation
		}
		if req.DecimalThreshold != nil {
			it.DecimalThreshold = *req.DecimalThreshold
		}
		if req.DecimalTotal != nil {
			it.DecimalTotal = *req.DecimalTotal
			it.DecimalAvailable = sitoo.DecimalFromDecimal(it.DecimalTotal.Sub(it.DecimalReserved.Decimal))
			it.DateLastModified = now
		}
		if req.MoneyTotal != nil {
			it.MoneyTotal = *req.MoneyTotal
		}
		return true, nil
	})
}

// stockChange is one SKU's change in a transaction.
type stockChange struct {
	sku      string
	qty      decimal.Decimal
	priceIn  *sitoo.Money
	absolute bool // qty is the counted stock (stocktaking), not a delta
}

// txHeader are the fields of a transaction other than its items.
type txHeader struct {
	warehouseID     int64
	kind            sitoo.TransactionType
	description     string
	externalID      string
	reasonCode      string
	orderDeliveryID *int64
}

// commit records a transaction and applies it to the stock.
func (s *Server) commit(st *state, site *site, h txHeader, changes []stockChange) int64 {
	now := sitoo.NewUnixTime(s.now())
	tx := &sitoo.WarehouseTransaction{WarehouseTransactionID: st.id("warehousetransaction"), WarehouseID: h.warehouseID,
		DateCreated: now, TransactionType: h.kind, Description: h.description, ExternalID: h.externalID,
		ReasonCode: h.reasonCode, OrderDeliveryID: h.orderDeliveryID}
	for _, c := range changes {
		it := site.item(h.warehouseID, c.sku, true)
		delta := c.qty
		if c.absolute {
			delta = c.qty.Sub(it.DecimalTotal.Decimal)
			it.DateLastStocktaking = now
		}
		it.DecimalTotal = sitoo.DecimalFromDecimal(it.DecimalTotal.Add(delta))
		it.DecimalAvailable = sitoo.DecimalFromDecimal(it.DecimalTotal.Sub(it.DecimalReserved.Decimal))
		it.DateLastModified = now
		log := sitoo.WarehouseItemLog{WarehouseItemLogID: st.id("warehouseitemlog"), WarehouseItemID: it.WarehouseItemID,
			WarehouseTransactionID: tx.WarehouseTransactionID, SKU: c.sku,
			DecimalQuantity: sitoo.DecimalFromDecimal(delta), DecimalTotal: it.DecimalTotal}
		if c.priceIn != nil {
			log.MoneyPriceIn = *c.priceIn
			log.MoneyValue = sitoo.MoneyFromDecimal(delta.Mul(c.priceIn.Decimal).Round(2))
			it.MoneyTotal = sitoo.MoneyFromDecimal(it.MoneyTotal.Add(log.MoneyValue.Decimal))
		}
		log.MoneyTotal = it.MoneyTotal
		tx.Items = append(tx.Items, log)
	}
	site.transactions.put(tx.WarehouseTransactionID, tx)
	return tx.WarehouseTransactionID
}

func (s *Server) addWarehouseTransactions(w http.ResponseWriter, r *http.Request, st *state, site *site, _ params) {
	items, isArray, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	reqs := make([]sitoo.WarehouseTransactionRequest, len(items))
	errs := make([]error, len(items))
	n := 0
	for i, raw := range items {
		errs[i] = decodeStrict(raw, &reqs[i])
		n += len(reqs[i].Items)
	}
	if n > maxTransactionItems {
		fail(w, badRequest("The maximum number of items allowed for one request is %d, got %d", maxTransactionItems, n))
		return
	}
	rs := make([]result, len(items))
	for i, req := range reqs {
		err := errs[i]
		if err == nil {
			err = s.checkTransaction(site, &req)
		}
		if err != nil {
			rs[i] = errResult(err)
			continue
		}
		changes := make([]stockChange, len(req.Items))
		for j, it := range req.Items {
			changes[j] = stockChange{sku: it.SKU, qty: it.DecimalQuantity.Decimal, priceIn: it.MoneyPriceIn}
		}
		id := s.commit(st, site, txHeader{warehouseID: req.WarehouseID, kind: req.TransactionType, description: req.Description,
			externalID: req.ExternalID, reasonCode: req.ReasonCode}, changes)
		rs[i] = okResult(id)
	}
	writeResults(w, isArray, rs)
}

func (s *Server) checkTransaction(site *site, req *sitoo.WarehouseTransactionRequest) error {
	wh, err := site.warehouse(req.WarehouseID)
	if err != nil {
		return err
	}
	if wh.WarehouseType.IsVirtual() {
		return badRequest("Transactions cannot be added to warehouses with warehousetype Virtual (20)")
	}
	if req.TransactionType == 0 || req.TransactionType == sitoo.TransactionTypeStocktaking {
		return badRequest("Invalid value in transactiontype")
	}
	if len(req.Items) == 0 {
		return badRequest("Missing required argument: items")
	}
	for _, it := range req.Items {
		if !site.hasSKU(it.SKU) {
			return badRequest("Invalid value in sku (%s)", it.SKU)
		}
	}
	return nil
}

func (s *Server) listWarehouseTransactions(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	q := s.query(r)
	ids := q.ints("warehousetransactionid")
	var bounds [6]int64
	var has [6]bool
	for i, name := range []string{"warehousetransactionidfrom", "warehousetransactionidto", "datecreatedfrom", "datecreatedto", "warehouseid", "transactiontype"} {
		bounds[i], has[i] = q.int(name)
	}
	if len(p.ids) > 0 { // per-warehouse endpoint
		if _, err := site.warehouse(p.ids[0]); err != nil {
			fail(w, err)
			return
		}
		bounds[4], has[4] = p.ids[0], true
	}
	desc := q.page.sort != "warehousetransactionid"
	writeEnvelope(w, q, site.transactions.list(desc, func(t *sitoo.WarehouseTransaction) bool {
		created := t.DateCreated.Unix()
		return (len(ids) == 0 || containsInt(ids, t.WarehouseTransactionID)) &&
			(!has[0] || t.WarehouseTransactionID >= bounds[0]) && (!has[1] || t.WarehouseTransactionID < bounds[1]) &&
			(!has[2] || created >= bounds[2]) && (!has[3] || created <= bounds[3]) &&
			(!has[4] || t.WarehouseID == bounds[4]) && (!has[5] || int64(t.TransactionType) == bounds[5])
	}))
}

func (s *Server) getWarehouseTransaction(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	t, ok := site.transactions.get(p.ids[1])
	if !ok || t.WarehouseID != p.ids[0] {
		fail(w, notFound("No warehouse transaction %d in warehouse %d", p.ids[1], p.ids[0]))
		return
	}
	writeObject(w, r, t)
}

func (s *Server) batch(site *site, p params) (*sitoo.WarehouseBatch, error) {
	b, ok := site.batches.get(p.ids[1])
	if !ok || b.WarehouseID != p.ids[0] {
		return nil, notFound("No warehouse batch %d in warehouse %d", p.ids[1], p.ids[0])
	}
	return b, nil
}

func (s *Server) listBatches(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if _, err := site.warehouse(p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	q := s.query(r)
	kind, hasKind := q.int("transactiontype")
	state, hasState := q.int("warehousebatchstate")
	writeEnvelope(w, q, site.batches.list(false, func(b *sitoo.WarehouseBatch) bool {
		return b.WarehouseID == p.ids[0] && (!hasKind || int64(b.TransactionType) == kind) &&
			(!hasState || int64(b.WarehouseBatchState) == state)
	}))
}

func (s *Server) getBatch(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	b, err := s.batch(site, p)
	if err != nil {
		fail(w, err)
		return
	}
	writeObject(w, r, b)
}

func (s *Server) addBatch(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	wh, err := site.warehouse(p.ids[0])
	if err != nil {
		fail(w, err)
		return
	}
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) {
		var req sitoo.WarehouseBatchRequest
		if err := decodeStrict(raw, &req); err != nil {
			return nil, err
		}
		switch {
		case req.TransactionType == 0:
			return nil, badRequest("Missing required argument: transactiontype")
		case wh.WarehouseType.IsVirtual():
			return nil, badRequest("Transactions cannot be added to warehouses with warehousetype Virtual (20)")
		}
		b := &sitoo.WarehouseBatch{}
		if err := json.Unmarshal(raw, b); err != nil {
			return nil, badRequest("Invalid value: %v", err)
		}
		b.WarehouseBatchID, b.WarehouseID = st.id("warehousebatch"), wh.WarehouseID
		b.WarehouseBatchState, b.DateCreated = sitoo.WarehouseBatchStateOpen, sitoo.NewUnixTime(s.now())
		site.batches.put(b.WarehouseBatchID, b)
		return b.WarehouseBatchID, nil
	})
}

// updateBatch changes a batch; moving it from Open (10) to Closed (20) commits its items as one
// warehouse transaction: a stocktaking batch sets the counted stock, any other adds its quantities.
func (s *Server) updateBatch(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return true, s.patchBatch(st, site, p, raw) })
}

func (s *Server) patchBatch(st *state, site *site, p params, raw json.RawMessage) error {
	b, err := s.openBatch(site, p)
	if err != nil {
		return err
	}
	var req sitoo.WarehouseBatchRequest
	if err := decodeStrict(raw, &req); err != nil {
		return err
	}
	if req.WarehouseBatchState != nil && *req.WarehouseBatchState != sitoo.WarehouseBatchStateOpen &&
		*req.WarehouseBatchState != sitoo.WarehouseBatchStateClosed {
		return badRequest("Invalid value in warehousebatchstate")
	}
	next := *b
	if err := json.Unmarshal(raw, &next); err != nil {
		return badRequest("Invalid value: %v", err)
	}
	next.WarehouseBatchID, next.WarehouseID = b.WarehouseBatchID, b.WarehouseID
	if next.WarehouseBatchState == sitoo.WarehouseBatchStateClosed {
		items := site.batchItems[b.WarehouseBatchID]
		changes := make([]stockChange, len(items))
		for i, it := range items {
			pin := it.MoneyPriceIn
			changes[i] = stockChange{sku: it.SKU, qty: it.DecimalQuantity.Decimal, priceIn: &pin,
				absolute: next.TransactionType == sitoo.TransactionTypeStocktaking}
		}
		tid := s.commit(st, site, txHeader{warehouseID: b.WarehouseID, kind: next.TransactionType, description: next.Comment,
			externalID: next.ExternalID, reasonCode: next.ReasonCode}, changes)
		next.WarehouseTransactionID = &tid
	}
	site.batches.put(b.WarehouseBatchID, &next)
	return nil
}

func (s *Server) listBatchItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	b, err := s.batch(site, p)
	if err != nil {
		fail(w, err)
		return
	}
	writeEnvelope(w, s.query(r), site.batchItems[b.WarehouseBatchID])
}

func (s *Server) openBatch(site *site, p params) (*sitoo.WarehouseBatch, error) {
	b, err := s.batch(site, p)
	if err != nil {
		return nil, err
	}
	if b.WarehouseBatchState != sitoo.WarehouseBatchStateOpen {
		return nil, badRequest("The warehouse batch is closed")
	}
	return b, nil
}

func (s *Server) setBatchItems(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	b, err := s.openBatch(site, p)
	if err != nil {
		fail(w, err)
		return
	}
	eachItem(w, r, objectOrArray, func(raw json.RawMessage) (any, error) {
		var req sitoo.WarehouseBatchItemRequest
		if err := decodeStrict(raw, &req); err != nil {
			return nil, err
		}
		if req.SKU == "" || !site.hasSKU(req.SKU) {
			return nil, badRequest("Invalid value in sku")
		}
		list := site.batchItems[b.WarehouseBatchID]
		k := slices.IndexFunc(list, func(it sitoo.WarehouseBatchItem) bool { return it.SKU == req.SKU })
		if k < 0 {
			list = append(list, sitoo.WarehouseBatchItem{WarehouseBatchItemID: st.id("warehousebatchitem"),
				WarehouseBatchID: b.WarehouseBatchID, SKU: req.SKU})
			k = len(list) - 1
		}
		it := &list[k]
		if wi := site.item(b.WarehouseID, req.SKU, false); wi != nil {
			it.WarehouseItemID = wi.WarehouseItemID
		}
		it.DecimalQuantity, it.DateModified = req.DecimalQuantity, sitoo.NewUnixTime(s.now())
		if req.MoneyPriceIn != nil {
			it.MoneyPriceIn = *req.MoneyPriceIn
		}
		if req.EmailOwner != nil {
			it.EmailOwner = *req.EmailOwner
		}
		if req.Comment != nil {
			it.Comment = *req.Comment
		}
		site.batchItems[b.WarehouseBatchID] = list
		return true, nil
	})
}

func (s *Server) deleteBatchItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	b, err := s.openBatch(site, p)
	if err != nil {
		fail(w, err)
		return
	}
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		sku, err := skuOf(raw)
		if err != nil {
			return nil, err
		}
		list := site.batchItems[b.WarehouseBatchID]
		k := slices.IndexFunc(list, func(it sitoo.WarehouseBatchItem) bool { return it.SKU == sku })
		if k < 0 {
			return nil, notFound("No item %s in the batch", sku)
		}
		site.batchItems[b.WarehouseBatchID] = slices.Delete(list, k, k+1)
		return true, nil
	})
}

func (s *Server) priceList(site *site, id int64) error {
	if _, ok := site.priceLists.get(id); !ok {
		return notFound("No price list with id %d", id)
	}
	return nil
}

// listPriceListItems lists a price list; the default list's prices are the products' moneyprice.
func (s *Server) listPriceListItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if err := s.priceList(site, p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	items := site.priceListItems[p.ids[0]]
	if p.ids[0] == sitoo.DefaultPriceListID {
		items = nil
		for _, pr := range site.products.list(false, nil) {
			items = append(items, sitoo.PriceListItem{ProductID: pr.ProductID, SKU: pr.SKU, MoneyPrice: pr.MoneyPrice})
		}
	}
	writeEnvelope(w, s.query(r), items)
}

// product finds a product by id, or by SKU when id is 0.
func (site *site) product(sku string, id int64) (*sitoo.Product, bool) {
	if id != 0 {
		return site.products.get(id)
	}
	if sku == "" {
		return nil, false
	}
	return site.productBySKU(sku)
}

func (s *Server) setPriceListItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if err := s.priceList(site, p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	eachItem(w, r, objectOrArray, func(raw json.RawMessage) (any, error) {
		var it sitoo.PriceListItem
		if err := decodeStrict(raw, &it); err != nil {
			return nil, err
		}
		pr, ok := site.product(it.SKU, it.ProductID)
		if !ok {
			return nil, notFound("No product %q/%d", it.SKU, it.ProductID)
		}
		it.ProductID, it.SKU = pr.ProductID, pr.SKU
		if p.ids[0] == sitoo.DefaultPriceListID {
			cp := *pr
			cp.MoneyPrice, cp.MoneyFinalPrice = it.MoneyPrice, it.MoneyPrice
			site.putProduct(&cp)
		} else {
			list := site.priceListItems[p.ids[0]]
			if k := slices.IndexFunc(list, func(x sitoo.PriceListItem) bool { return x.SKU == it.SKU }); k >= 0 {
				list[k] = it
			} else {
				list = append(list, it)
			}
			site.priceListItems[p.ids[0]] = list
		}
		return true, nil
	})
}

func (s *Server) deletePriceListItems(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if err := s.priceList(site, p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	if p.ids[0] == sitoo.DefaultPriceListID {
		fail(w, badRequest("Items of the default price list cannot be deleted"))
		return
	}
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		sku, err := skuOf(raw)
		if err != nil {
			return nil, err
		}
		list := site.priceListItems[p.ids[0]]
		k := slices.IndexFunc(list, func(x sitoo.PriceListItem) bool { return x.SKU == sku })
		if k < 0 {
			return nil, notFound("No item %s in the price list", sku)
		}
		site.priceListItems[p.ids[0]] = slices.Delete(list, k, k+1)
		return true, nil
	})
}
