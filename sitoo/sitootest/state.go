package sitootest

import (
	"slices"

	"github.com/loyalsync/loyalsync/sitoo"
)

// table holds one kind of object by integer id, in ascending id order.
type table[T any] struct {
	rows map[int64]*T
	ids  []int64 // ascending
	vals []*T    // rows in the order of ids
}

func newTable[T any]() *table[T] { return &table[T]{rows: map[int64]*T{}} }

func (t *table[T]) get(id int64) (*T, bool) {
	v, ok := t.rows[id]
	return v, ok
}

func (t *table[T]) put(id int64, v *T) {
	i, found := slices.BinarySearch(t.ids, id)
	if found {
		t.vals[i] = v
	} else {
		t.ids = slices.Insert(t.ids, i, id)
		t.vals = slices.Insert(t.vals, i, v)
	}
	t.rows[id] = v
}

func (t *table[T]) remove(id int64) bool {
	if _, ok := t.rows[id]; !ok {
		return false
	}
	delete(t.rows, id)
	if i, ok := slices.BinarySearch(t.ids, id); ok {
		t.ids = slices.Delete(t.ids, i, i+1)
		t.vals = slices.Delete(t.vals, i, i+1)
	}
	return true
}

// list returns the rows accepted by keep, in ascending id order, or descending when desc is set.
// The rows are shared: stored rows are replaced on update, never modified in place.
func (t *table[T]) list(desc bool, keep func(*T) bool) []*T {
	out := make([]*T, 0, len(t.vals))
	for _, v := range t.vals {
		if keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	if desc {
		slices.Reverse(out)
	}
	return out
}

// values copies rows out of the table, for the seed helpers.
func values[T any](rows []*T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = *r
	}
	return out
}

// state is the whole account.
type state struct {
	nextID  map[string]int64
	sites   map[int64]*site
	orders  *table[order] // account-wide, with their eshop id
	users   map[string]*sitoo.User
	userIDs []string // in creation order
}

// site is one site's (eshop's) data.
type site struct {
	id             int64
	products       *table[sitoo.Product] // written only through putProduct and dropProduct
	index          productIndex
	variantGroups  map[int64][]sitoo.VariantGroup // by main variant id
	images         map[int64][]sitoo.Resource     // by product id
	categories     *table[sitoo.Category]
	manufacturers  *table[sitoo.Manufacturer]
	productGroups  *table[sitoo.ProductGroup]
	priceLists     *table[sitoo.PriceList]
	priceListItems map[int64][]sitoo.PriceListItem // by price list, in SKU order of creation
	warehouses     *table[sitoo.Warehouse]
	warehouseItems map[int64][]*sitoo.WarehouseItem          // by warehouse, in creation order
	itemBySKU      map[int64]map[string]*sitoo.WarehouseItem // the same items by warehouse and SKU
	transactions   *table[sitoo.WarehouseTransaction]
	batches        *table[sitoo.WarehouseBatch]
	batchItems     map[int64][]sitoo.WarehouseBatchItem // by batch
	vouchers       *table[sitoo.Voucher]
}

// order is an order with its deliveries.
type order struct {
	sitoo.Order
	deliveries []sitoo.OrderDelivery
}

func newState(siteIDs []int64) *state {
	st := &state{nextID: map[string]int64{}, sites: map[int64]*site{}, orders: newTable[order](), users: map[string]*sitoo.User{}}
	for _, id := range siteIDs {
		st.sites[id] = st.newSite(id)
	}
	return st
}

func (st *state) newSite(id int64) *site {
	s := &site{
		id:             id,
		products:       newTable[sitoo.Product](),
		index:          newProductIndex(),
		variantGroups:  map[int64][]sitoo.VariantGroup{},
		images:         map[int64][]sitoo.Resource{},
		categories:     newTable[sitoo.Category](),
		manufacturers:  newTable[sitoo.Manufacturer](),
		productGroups:  newTable[sitoo.ProductGroup](),
		priceLists:     newTable[sitoo.PriceList](),
		priceListItems: map[int64][]sitoo.PriceListItem{},
		warehouses:     newTable[sitoo.Warehouse](),
		warehouseItems: map[int64][]*sitoo.WarehouseItem{},
		itemBySKU:      map[int64]map[string]*sitoo.WarehouseItem{},
		transactions:   newTable[sitoo.WarehouseTransaction](),
		batches:        newTable[sitoo.WarehouseBatch](),
		batchItems:     map[int64][]sitoo.WarehouseBatchItem{},
		vouchers:       newTable[sitoo.Voucher](),
	}
	// Every account has the default product group (vatid 2) and the default price list (id 1).
	s.productGroups.put(defaultVATID, &sitoo.ProductGroup{VATID: defaultVATID, Value: sitoo.PercentFromInt(25),
		ProductGroupType: 10, ProductGroupName: "Common Goods", Comment: "Default"})
	s.priceLists.put(sitoo.DefaultPriceListID, &sitoo.PriceList{PriceListID: sitoo.DefaultPriceListID,
		PriceListName: "Default Price List", Active: true, CurrencyCode: "USD", Tags: []string{}})
	return s
}

// defaultVATID is the product group every product without one belongs to.
const defaultVATID = 2

// id allocates the next id of a kind; ids are unique across sites, like Sitoo's product ids.
func (st *state) id(kind string) int64 {
	n := st.nextID[kind] + 1
	if kind == "productgroup" && n <= defaultVATID {
		n = defaultVATID + 1
	}
	if kind == "pricelist" && n <= sitoo.DefaultPriceListID {
		n = sitoo.DefaultPriceListID + 1
	}
	st.nextID[kind] = n
	return n
}
