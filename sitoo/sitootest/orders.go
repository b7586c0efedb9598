package sitootest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/sitoo"
)

// externalIDPattern is Sitoo's rule for an order's externalid.
var externalIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

func (s *Server) listAllOrders(w http.ResponseWriter, r *http.Request, st *state, _ *site, _ params) {
	s.listOrders(w, s.query(r), st, 0)
}

// listSiteOrders serves the deprecated site-level list.
func (s *Server) listSiteOrders(w http.ResponseWriter, r *http.Request, st *state, site *site, _ params) {
	s.listOrders(w, s.query(r), st, site.id)
}

// orderFilter holds the filters of GET /orders.json.
type orderFilter struct {
	eshop, orderIDs, states, payStates, types, warehouses []int64
	externalIDs                                           []string
	receiptID, email                                      string
	creditOrderID, idFrom, idTo, dateFrom, dateTo         int64
	hasCredit, hasFrom, hasTo, hasDateFrom, hasDateTo     bool
}

func parseOrderFilter(q *query) (f orderFilter) {
	f.eshop, f.orderIDs, f.states = q.ints("eshopid"), q.ints("orderid"), q.ints("orderstate")
	f.payStates, f.types, f.warehouses = q.ints("paymentstate"), q.ints("ordertype"), q.ints("warehouseid")
	f.creditOrderID, f.hasCredit = q.int("creditorderid")
	f.idFrom, f.hasFrom = q.int("orderidfrom")
	f.idTo, f.hasTo = q.int("orderidto")
	f.dateFrom, f.hasDateFrom = q.int("orderdatefrom")
	f.dateTo, f.hasDateTo = q.int("orderdateto")
	f.externalIDs, f.receiptID, f.email = q.list("externalid"), q.Get("receiptid"), q.Get("email")
	return f
}

func (f *orderFilter) keep(o *order) bool {
	in := func(list []int64, v int64) bool { return len(list) == 0 || containsInt(list, v) }
	date := o.OrderDate.Unix()
	switch {
	case f.receiptID != "":
		if o.AdditionalData[sitoo.AdditionalDataPOSReceiptID] != f.receiptID {
			return false
		}
	case f.hasCredit:
		if o.CreditOrderID == nil || *o.CreditOrderID != f.creditOrderID {
			return false
		}
	case !in(f.orderIDs, o.OrderID):
		return false
	}
	wh := int64(0)
	if o.WarehouseID != nil {
		wh = *o.WarehouseID
	}
	return in(f.eshop, o.EshopID) && in(f.states, int64(o.OrderStateID)) && in(f.payStates, int64(o.PaymentStateID)) &&
		in(f.types, int64(o.OrderTypeID)) && in(f.warehouses, wh) &&
		(len(f.externalIDs) == 0 || containsStr(f.externalIDs, o.ExternalID)) &&
		(f.email == "" || f.email == o.Email) &&
		(!f.hasFrom || o.OrderID >= f.idFrom) && (!f.hasTo || o.OrderID < f.idTo) &&
		(!f.hasDateFrom || date >= f.dateFrom) && (!f.hasDateTo || date <= f.dateTo)
}

func (s *Server) listOrders(w http.ResponseWriter, q *query, st *state, siteID int64) {
	f := parseOrderFilter(q)
	if siteID != 0 {
		f.eshop = []int64{siteID}
	}
	orders := st.orders.list(q.page.sort != "orderid", f.keep) // Sitoo's default sort is -orderid
	out := make([]*sitoo.Order, len(orders))
	for i := range orders {
		out[i] = &orders[i].Order
	}
	writeEnvelope(w, q, out)
}

func (s *Server) siteOrder(st *state, site *site, id int64) (*order, error) {
	o, ok := st.orders.get(id)
	if !ok || o.EshopID != site.id {
		return nil, notFound("No order with id %d", id)
	}
	return o, nil
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	o, err := s.siteOrder(st, site, p.ids[0])
	if err != nil {
		fail(w, err)
		return
	}
	writeObject(w, r, o.Order)
}

func (s *Server) addOrder(w http.ResponseWriter, r *http.Request, st *state, site *site, _ params) {
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) {
		var req sitoo.OrderRequest
		if err := decodeStrict(raw, &req); err != nil {
			return nil, err
		}
		if req.OrderTypeID == nil {
			return nil, badRequest("Missing required argument: ordertypeid")
		}
		o := &order{Order: sitoo.Order{EshopID: site.id, OrderDate: sitoo.NewUnixTime(s.now()), CurrencyCode: "USD"}}
		if err := s.applyOrder(st, site, o, raw, &req); err != nil {
			return nil, err
		}
		o.OrderID = st.id("order")
		o.OrderLogItems = []sitoo.OrderLogItem{{DateLog: o.OrderDate, OrderID: o.OrderID}}
		st.orders.put(o.OrderID, o)
		return o.OrderID, nil
	})
}

// applyOrder merges a request into an order, validating it and computing the totals.
func (s *Server) applyOrder(st *state, site *site, o *order, raw json.RawMessage, req *sitoo.OrderRequest) error {
	if req.ExternalID != nil {
		if !externalIDPattern.MatchString(*req.ExternalID) {
			return badRequest("Invalid value in externalid ([A-Za-z0-9_-], 1-40 characters)")
		}
		for _, id := range st.orders.ids {
			if other := st.orders.rows[id]; other.OrderID != o.OrderID && other.ExternalID == *req.ExternalID {
				return badRequest("Invalid value in externalid (%s already exists)", *req.ExternalID)
			}
		}
	}
	if req.WarehouseID != nil && *req.WarehouseID != 0 {
		if _, err := site.warehouse(int64(*req.WarehouseID)); err != nil {
			return badRequest("Invalid value in warehouseid")
		}
	}
	for i, it := range req.OrderItems {
		if it.ProductName == "" || it.Quantity == 0 {
			return badRequest("Missing required argument in orderitems[%d]: productname, quantity", i)
		}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return badRequest("Invalid syntax")
	}
	delete(fields, "orderitems")
	rest, _ := json.Marshal(fields)
	if err := json.Unmarshal(rest, &o.Order); err != nil {
		return badRequest("Invalid value: %v", err)
	}
	if req.OrderItems != nil {
		o.OrderItems = orderItems(site, req.OrderItems)
	}
	if o.AdditionalData == nil {
		o.AdditionalData = map[string]string{}
	}
	if o.Payments == nil {
		o.Payments = []sitoo.Payment{}
	}
	o.totals()
	return nil
}

// orderItems turns request rows into order items. A row's moneyrowprice is its gross price before
// the row discount, as in Sitoo's examples; net and VAT are derived from it.
func orderItems(site *site, reqs []sitoo.OrderItemRequest) []sitoo.OrderItem {
	out := make([]sitoo.OrderItem, len(reqs))
	for i, rq := range reqs {
		it := sitoo.OrderItem{OrderItemID: int64(i), OrderItemType: rq.OrderItemType, ProductName: rq.ProductName, SKU: rq.SKU,
			ProductAttributes: rq.ProductAttributes, UnitLabel: rq.UnitLabel, Quantity: rq.Quantity, DeliveryInfo: rq.DeliveryInfo,
			VoucherCode: rq.VoucherCode, VoucherName: rq.VoucherName, AdditionalData: rq.AdditionalData}
		if it.OrderItemType == 0 {
			it.OrderItemType = sitoo.OrderItemTypeProduct
		}
		if rq.VATValue != nil {
			it.VATValue = *rq.VATValue
		}
		if pr, ok := site.product(rq.SKU, 0); ok && rq.SKU != "" {
			it.ProductID = pr.ProductID
		}
		gross := decimal.Zero
		if rq.MoneyRowPrice != nil {
			gross = rq.MoneyRowPrice.Decimal
		}
		discount := decimal.Zero
		if rq.MoneyRowDiscount != nil {
			discount = rq.MoneyRowDiscount.Decimal
			if it.AdditionalData == nil {
				it.AdditionalData = map[string]string{}
			}
			it.AdditionalData["orderitem-moneyrowdiscount"] = rq.MoneyRowDiscount.String()
		}
		factor := decimal.NewFromInt(1).Add(it.VATValue.Div(decimal.NewFromInt(100)))
		qty := decimal.NewFromInt(rq.Quantity)
		net := gross.Sub(discount).Div(factor).Round(2)
		it.MoneyItemTotalNet = sitoo.MoneyFromDecimal(net)
		it.MoneyItemTotalVAT = sitoo.MoneyFromDecimal(gross.Sub(discount).Sub(net))
		it.MoneyNetPricePerUnit = sitoo.MoneyFromDecimal(net.Div(qty).Round(2))
		it.MoneyNetPricePerQuantity = it.MoneyNetPricePerUnit
		it.DecimalQuantityTotal = sitoo.DecimalFromDecimal(qty)
		it.MoneyOriginalPrice = sitoo.MoneyFromDecimal(gross.Div(factor).Div(qty).Round(2))
		if !discount.IsZero() {
			it.MoneyDiscountedPrice = it.MoneyNetPricePerUnit
			it.MoneyDiscount = sitoo.MoneyFromDecimal(it.MoneyOriginalPrice.Sub(it.MoneyNetPricePerUnit.Decimal))
		}
		if it.AdditionalData == nil {
			it.AdditionalData = map[string]string{}
		}
		it.SalesTaxes = []sitoo.SalesTax{}
		out[i] = it
	}
	return out
}

func (o *order) totals() {
	net, vat := decimal.Zero, decimal.Zero
	for _, it := range o.OrderItems {
		net, vat = net.Add(it.MoneyItemTotalNet.Decimal), vat.Add(it.MoneyItemTotalVAT.Decimal)
	}
	o.MoneyTotalNet, o.MoneyTotalVAT = sitoo.MoneyFromDecimal(net), sitoo.MoneyFromDecimal(vat)
	finalNet := net.Add(o.MoneyCheckoutNet.Decimal).Add(o.MoneyDeliveryNet.Decimal)
	finalVAT := vat.Add(o.MoneyCheckoutVAT.Decimal).Add(o.MoneyDeliveryVAT.Decimal)
	o.MoneyFinalNet, o.MoneyFinalVAT = sitoo.MoneyFromDecimal(finalNet), sitoo.MoneyFromDecimal(finalVAT)
	o.MoneyTotalGrossAll = sitoo.MoneyFromDecimal(finalNet.Add(finalVAT).Add(o.MoneyTotalGrossRoundoff.Decimal))
}

func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) {
		o, err := s.siteOrder(st, site, p.ids[0])
		if err != nil {
			return nil, err
		}
		var req sitoo.OrderRequest
		if err := decodeStrict(raw, &req); err != nil {
			return nil, err
		}
		next := *o
		next.AdditionalData = cloneMap(o.AdditionalData)
		if err := s.applyOrder(st, site, &next, raw, &req); err != nil {
			return nil, err
		}
		next.OrderID, next.EshopID = o.OrderID, o.EshopID
		st.orders.put(o.OrderID, &next)
		return true, nil
	})
}

func (o *order) itemSKU(orderItemID int64) string {
	for _, it := range o.OrderItems {
		if it.OrderItemID == orderItemID {
			return it.SKU
		}
	}
	return ""
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// deleteOrder refuses, as Sitoo does: orders are cancelled, never deleted.
func (s *Server) deleteOrder(w http.ResponseWriter, _ *http.Request, _ *state, _ *site, _ params) {
	writeError(w, http.StatusMethodNotAllowed, "You can't delete an order, set orderstate to cancelled instead")
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	o, err := s.siteOrder(st, site, p.ids[0])
	if err != nil {
		fail(w, err)
		return
	}
	writeEnvelope(w, s.query(r), o.deliveries)
}

// addDelivery records a delivery of order items. Unless ?ignorestock=true or the order's
// additionaldata "delivery-ignore-stock" is "true", it takes the delivered quantities out of stock:
// in a FIFO warehouse through a warehouse transaction carrying the delivery id, in a Virtual one by
// lowering the stock level directly (Virtual warehouses take no transactions).
func (s *Server) addDelivery(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	ignore, _ := strconv.ParseBool(r.URL.Query().Get("ignorestock"))
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return s.deliver(st, site, p.ids[0], raw, ignore) })
}

func (s *Server) deliver(st *state, site *site, orderID int64, raw json.RawMessage, ignore bool) (int64, error) {
	o, err := s.siteOrder(st, site, orderID)
	if err != nil {
		return 0, err
	}
	var req sitoo.OrderDeliveryRequest
	if err := decodeStrict(raw, &req); err != nil {
		return 0, err
	}
	wh, err := site.warehouse(req.WarehouseID)
	if err != nil {
		return 0, badRequest("Invalid value in warehouseid")
	}
	if len(req.OrderDeliveryItems) == 0 {
		return 0, badRequest("Missing required argument: orderdeliveryitems")
	}
	left := sitoo.Undelivered(&o.Order, o.deliveries)
	for _, it := range req.OrderDeliveryItems {
		if it.Quantity <= 0 || it.Quantity > left[it.OrderItemID] {
			return 0, badRequest("Invalid value in orderdeliveryitems (item %d: %d to deliver, %d left)", it.OrderItemID, it.Quantity, left[it.OrderItemID])
		}
		left[it.OrderItemID] -= it.Quantity
	}
	ignore = ignore || o.AdditionalData[sitoo.AdditionalDataDeliveryIgnoreStock] == "true"
	d := sitoo.OrderDelivery{OrderDeliveryID: st.id("orderdelivery"), OrderID: o.OrderID, WarehouseID: wh.WarehouseID,
		OrderDeliveryRef: req.OrderDeliveryRef, DateDelivery: sitoo.NewUnixTime(s.now())}
	var changes []stockChange
	for _, it := range req.OrderDeliveryItems {
		d.OrderDeliveryItems = append(d.OrderDeliveryItems, sitoo.OrderDeliveryItem{OrderDeliveryItemID: st.id("orderdeliveryitem"),
			OrderDeliveryID: d.OrderDeliveryID, OrderItemID: it.OrderItemID, Quantity: it.Quantity})
		if sku := o.itemSKU(it.OrderItemID); sku != "" && site.hasSKU(sku) {
			changes = append(changes, stockChange{sku: sku, qty: decimal.NewFromInt(-it.Quantity)})
		}
	}
	if !ignore && len(changes) > 0 {
		if wh.WarehouseType.IsVirtual() {
			for _, c := range changes {
				item := site.item(wh.WarehouseID, c.sku, true)
				item.DecimalTotal = sitoo.DecimalFromDecimal(item.DecimalTotal.Add(c.qty))
				item.DecimalAvailable = sitoo.DecimalFromDecimal(item.DecimalTotal.Sub(item.DecimalReserved.Decimal))
				item.DateLastModified = d.DateDelivery
			}
		} else {
			id := d.OrderDeliveryID
			s.commit(st, site, txHeader{warehouseID: wh.WarehouseID, kind: deliveryTransactionType, orderDeliveryID: &id}, changes)
		}
	}
	next := *o
	next.deliveries = append(append([]sitoo.OrderDelivery(nil), o.deliveries...), d)
	st.orders.put(o.OrderID, &next)
	return d.OrderDeliveryID, nil
}
