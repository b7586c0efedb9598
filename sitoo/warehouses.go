package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// Warehouse is a location holding stock. Its type decides how its stock changes: a Virtual
// warehouse (WarehouseTypeVirtual) has its stock set absolutely and accepts no transactions; any
// other (FIFO) warehouse changes stock only through warehouse transactions, batches and order
// deliveries.
type Warehouse struct {
	WarehouseID   int64            `json:"warehouseid"`
	WarehouseType WarehouseType    `json:"warehousetype"`
	UseType       WarehouseUseType `json:"usetype"`
	// StoreID is the store the warehouse belongs to, or nil.
	StoreID      *int64 `json:"storeid"`
	Sellable     bool   `json:"sellable"`
	CurrencyCode string `json:"currencycode"`
	Name         string `json:"name"`
	Address      string `json:"address"`
	Address2     string `json:"address2"`
	Zip          string `json:"zip"`
	City         string `json:"city"`
	State        string `json:"state"`
	CountryID    string `json:"countryid"`
	ExternalID   string `json:"externalid"`
}

// WarehouseRequest is the body of a warehouse add or (partial) update. UseType, CurrencyCode and
// Name are required when adding.
type WarehouseRequest struct {
	WarehouseType *WarehouseType    `json:"warehousetype,omitempty"`
	UseType       *WarehouseUseType `json:"usetype,omitempty"`
	StoreID       *NullID           `json:"storeid,omitempty"`
	Sellable      *bool             `json:"sellable,omitempty"`
	CurrencyCode  *string           `json:"currencycode,omitempty"`
	Name          *string           `json:"name,omitempty"`
	Address       *string           `json:"address,omitempty"`
	Address2      *string           `json:"address2,omitempty"`
	Zip           *string           `json:"zip,omitempty"`
	City          *string           `json:"city,omitempty"`
	State         *string           `json:"state,omitempty"`
	CountryID     *string           `json:"countryid,omitempty"`
	ExternalID    *string           `json:"externalid,omitempty"`
}

// WarehousesService manages /sites/{site}/warehouses. Get it from Site.Warehouses.
//
// Every warehouse read through it (Get, List, All) also records the warehouse's type in the
// client, which the stock services use to refuse operations the type does not allow.
type WarehousesService service

// Get returns one warehouse.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#get-warehouse
func (s *WarehousesService) Get(ctx context.Context, warehouseID int64) (*Warehouse, *Response, error) {
	w, resp, err := getOne[Warehouse](ctx, s.c, fmt.Sprintf("get warehouse %d", warehouseID), sitePath(s.site, "warehouses", itoa(warehouseID)))
	s.c.rememberWarehouse(s.site, w)
	return w, resp, err
}

// List returns one page of warehouses.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#get-warehouses
func (s *WarehousesService) List(ctx context.Context, opts *ListOptions) ([]Warehouse, *Response, error) {
	items, resp, err := listOne[Warehouse](ctx, s.c, sitePath(s.site, "warehouses"), opts)
	for i := range items {
		s.c.rememberWarehouse(s.site, &items[i])
	}
	return items, resp, wrapErr("list warehouses", err)
}

// All iterates over every warehouse.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#get-warehouses
func (s *WarehousesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Warehouse, error] {
	seq := wrapSeq(listAll[Warehouse](ctx, s.c, sitePath(s.site, "warehouses"), opts), "list warehouses")
	return func(yield func(Warehouse, error) bool) {
		for w, err := range seq {
			if err == nil {
				s.c.rememberWarehouse(s.site, &w)
			}
			if !yield(w, err) {
				return
			}
		}
	}
}

// Create adds a warehouse and returns its id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses
func (s *WarehousesService) Create(ctx context.Context, w *WarehouseRequest) (int64, *Response, error) {
	if w == nil || w.Name == nil || w.UseType == nil || w.CurrencyCode == nil {
		return 0, nil, fmt.Errorf("sitoo: create warehouse: %w", invalidArg("name, usetype and currencycode are required"))
	}
	id, resp, err := s.c.create(ctx, "create warehouse", sitePath(s.site, "warehouses"), nil, w, false)
	if err == nil && w.WarehouseType != nil {
		s.c.whTypes.Store(warehouseKey{s.site, id}, *w.WarehouseType)
	}
	return id, resp, err
}

// Update changes the fields set in w.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#update-warehouse
func (s *WarehousesService) Update(ctx context.Context, warehouseID int64, w *WarehouseRequest) (*Response, error) {
	s.c.whTypes.Delete(warehouseKey{s.site, warehouseID})
	return s.c.update(ctx, fmt.Sprintf("update warehouse %d", warehouseID), sitePath(s.site, "warehouses", itoa(warehouseID)), w)
}

// Delete removes a warehouse.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/warehouses#delete-warehouse
func (s *WarehousesService) Delete(ctx context.Context, warehouseID int64) (*Response, error) {
	s.c.whTypes.Delete(warehouseKey{s.site, warehouseID})
	return s.c.remove(ctx, fmt.Sprintf("delete warehouse %d", warehouseID), sitePath(s.site, "warehouses", itoa(warehouseID)))
}

// warehouseType returns a warehouse's type, from the client's record or, the first time, by
// fetching the warehouse (one GET asking only for its id and type).
func (s *service) warehouseType(ctx context.Context, warehouseID int64) (WarehouseType, error) {
	if t, ok := s.c.whTypes.Load(warehouseKey{s.site, warehouseID}); ok {
		return t.(WarehouseType), nil
	}
	var w Warehouse
	q := &ListOptions{Fields: []string{"warehouseid", "warehousetype"}}
	if _, err := s.c.do(ctx, call{method: http.MethodGet, path: sitePath(s.site, "warehouses", itoa(warehouseID)), query: q}, &w); err != nil {
		return 0, fmt.Errorf("look up type of warehouse %d: %w", warehouseID, err)
	}
	w.WarehouseID = warehouseID
	s.c.rememberWarehouse(s.site, &w)
	return w.WarehouseType, nil
}
