package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// DefaultPriceListID is the id of the "Default" price list on every account; a product's
// MoneyPrice is its price there.
const DefaultPriceListID = 1

// PriceList is a set of product prices that can be limited to stores or campaigns by tags. A site
// has at most 100 price lists.
type PriceList struct {
	PriceListID          int64    `json:"pricelistid"`
	PriceListName        string   `json:"pricelistname"`
	PriceListDescription string   `json:"pricelistdescription"`
	Active               bool     `json:"active"`
	ExternalID           string   `json:"externalid"`
	CurrencyCode         string   `json:"currencycode"` // ISO 4217
	Tags                 []string `json:"tags"`
}

// PriceListRequest is the body of a price list add or (partial) update. PriceListName is required
// when adding.
type PriceListRequest struct {
	PriceListName        *string  `json:"pricelistname,omitempty"`
	PriceListDescription *string  `json:"pricelistdescription,omitempty"`
	Active               *bool    `json:"active,omitempty"`
	ExternalID           *string  `json:"externalid,omitempty"`
	CurrencyCode         *string  `json:"currencycode,omitempty"`
	Tags                 []string `json:"tags,omitzero"`
}

// PriceListItem is one product's price in a price list, identified by ProductID or SKU.
type PriceListItem struct {
	ProductID  int64  `json:"productid,omitzero"`
	SKU        string `json:"sku,omitzero"`
	MoneyPrice Money  `json:"moneyprice"`
	// MoneyPriceVolume holds volume prices; nil when there are none.
	MoneyPriceVolume []VolumePrice `json:"moneypricevolume"`
}

// VolumePrice is the unit price from a quantity on.
type VolumePrice struct {
	LevelStart int   `json:"levelstart"`
	MoneyPrice Money `json:"moneyprice"`
}

// PriceListsService manages /sites/{site}/pricelists and their items. Get it from Site.PriceLists.
type PriceListsService service

// Get returns one price list.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#get-price-list
func (s *PriceListsService) Get(ctx context.Context, priceListID int64) (*PriceList, *Response, error) {
	return getOne[PriceList](ctx, s.c, fmt.Sprintf("get price list %d", priceListID), sitePath(s.site, "pricelists", itoa(priceListID)))
}

// List returns one page of price lists.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#get-price-lists
func (s *PriceListsService) List(ctx context.Context, opts *ListOptions) ([]PriceList, *Response, error) {
	items, resp, err := listOne[PriceList](ctx, s.c, sitePath(s.site, "pricelists"), opts)
	return items, resp, wrapErr("list price lists", err)
}

// All iterates over every price list.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#get-price-lists
func (s *PriceListsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[PriceList, error] {
	return wrapSeq(listAll[PriceList](ctx, s.c, sitePath(s.site, "pricelists"), opts), "list price lists")
}

// Create adds a price list and returns its id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists
func (s *PriceListsService) Create(ctx context.Context, p *PriceListRequest) (int64, *Response, error) {
	if p == nil || p.PriceListName == nil || *p.PriceListName == "" {
		return 0, nil, fmt.Errorf("sitoo: create price list: %w", invalidArg("name is required"))
	}
	return s.c.create(ctx, "create price list", sitePath(s.site, "pricelists"), nil, p, false)
}

// Update changes the fields set in p.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#update-price-list
func (s *PriceListsService) Update(ctx context.Context, priceListID int64, p *PriceListRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update price list %d", priceListID), sitePath(s.site, "pricelists", itoa(priceListID)), p)
}

// Delete removes a price list.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#delete-price-list
func (s *PriceListsService) Delete(ctx context.Context, priceListID int64) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete price list %d", priceListID), sitePath(s.site, "pricelists", itoa(priceListID)))
}

// ListItems returns one page of a price list's items.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#get-price-lists-items
func (s *PriceListsService) ListItems(ctx context.Context, priceListID int64, opts *ListOptions) ([]PriceListItem, *Response, error) {
	items, resp, err := listOne[PriceListItem](ctx, s.c, sitePath(s.site, "pricelists", itoa(priceListID), "pricelistitems"), opts)
	return items, resp, wrapErr(fmt.Sprintf("list items of price list %d", priceListID), err)
}

// AllItems iterates over every item of a price list.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#get-price-lists-items
func (s *PriceListsService) AllItems(ctx context.Context, priceListID int64, opts *ListOptions) iter.Seq2[PriceListItem, error] {
	return wrapSeq(listAll[PriceListItem](ctx, s.c, sitePath(s.site, "pricelists", itoa(priceListID), "pricelistitems"), opts),
		fmt.Sprintf("list items of price list %d", priceListID))
}

// SetItems sets product prices in a price list (each item by ProductID or SKU), replacing the
// price and volume prices of each product sent.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#batch-set-price-list-items
func (s *PriceListsService) SetItems(ctx context.Context, priceListID int64, items []PriceListItem) (BatchResults, *Response, error) {
	for i := range items {
		if items[i].ProductID == 0 && items[i].SKU == "" {
			return nil, nil, fmt.Errorf("sitoo: set price list items: item %d: %w", i, invalidArg("ProductID or SKU is required"))
		}
	}
	return sendBatch(ctx, s.c, fmt.Sprintf("set items of price list %d", priceListID), http.MethodPut, sitePath(s.site, "pricelists", itoa(priceListID), "pricelistitems"), items, 0, true)
}

// DeleteItems removes the prices of the given SKUs from a price list.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/price-lists#batch-delete-price-list-items
func (s *PriceListsService) DeleteItems(ctx context.Context, priceListID int64, skus []string) (BatchResults, *Response, error) {
	return sendBatch(ctx, s.c, fmt.Sprintf("delete items of price list %d", priceListID), http.MethodDelete, sitePath(s.site, "pricelists", itoa(priceListID), "pricelistitems"), keyed("sku", skus), 0, false)
}
