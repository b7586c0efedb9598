package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// Manufacturer is a manufacturer or brand. Products refer to it by ExternalCompanyID in their
// ManufacturerID.
type Manufacturer struct {
	ExternalCompanyID int64  `json:"externalcompanyid"`
	Name              string `json:"name"`
	Description       string `json:"description"`
	Address           string `json:"address"`
	Zip               string `json:"zip"`
	City              string `json:"city"`
	State             string `json:"state"`
	CountryID         string `json:"countryid"` // ISO 3166 alpha-2
	Phone             string `json:"phone"`
	Email             string `json:"email"`
	URL1              string `json:"url1"` // home page
	URL2              string `json:"url2"` // external link
}

// ManufacturerRequest is the body of a manufacturer add or (partial) update. Name is required when
// adding; ExternalCompanyID is required in BatchUpdate and must be zero otherwise.
type ManufacturerRequest struct {
	ExternalCompanyID int64   `json:"externalcompanyid,omitzero"`
	Name              *string `json:"name,omitempty"`
	Description       *string `json:"description,omitempty"`
	Address           *string `json:"address,omitempty"`
	Zip               *string `json:"zip,omitempty"`
	City              *string `json:"city,omitempty"`
	State             *string `json:"state,omitempty"`
	CountryID         *string `json:"countryid,omitempty"`
	Phone             *string `json:"phone,omitempty"`
	Email             *string `json:"email,omitempty"`
	URL1              *string `json:"url1,omitempty"`
	URL2              *string `json:"url2,omitempty"`
}

// ManufacturersService manages /sites/{site}/manufacturers. Get it from Site.Manufacturers.
type ManufacturersService service

// Get returns one manufacturer.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#get-manufacturer
func (s *ManufacturersService) Get(ctx context.Context, externalCompanyID int64) (*Manufacturer, *Response, error) {
	return getOne[Manufacturer](ctx, s.c, fmt.Sprintf("get manufacturer %d", externalCompanyID), sitePath(s.site, "manufacturers", itoa(externalCompanyID)))
}

// List returns one page of manufacturers.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#get-manufacturers
func (s *ManufacturersService) List(ctx context.Context, opts *ListOptions) ([]Manufacturer, *Response, error) {
	items, resp, err := listOne[Manufacturer](ctx, s.c, sitePath(s.site, "manufacturers"), opts)
	return items, resp, wrapErr("list manufacturers", err)
}

// All iterates over every manufacturer.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#get-manufacturers
func (s *ManufacturersService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Manufacturer, error] {
	return wrapSeq(listAll[Manufacturer](ctx, s.c, sitePath(s.site, "manufacturers"), opts), "list manufacturers")
}

// BatchCreate adds manufacturers; a result's ID is the new ExternalCompanyID.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers
func (s *ManufacturersService) BatchCreate(ctx context.Context, ms []ManufacturerRequest) (BatchResults, *Response, error) {
	for i := range ms {
		if ms[i].Name == nil || *ms[i].Name == "" {
			return nil, nil, fmt.Errorf("sitoo: batch create manufacturers: item %d: %w", i, invalidArg("name is required"))
		}
	}
	return sendBatch(ctx, s.c, "batch create manufacturers", http.MethodPost, sitePath(s.site, "manufacturers"), ms, 0, false)
}

// Update changes the fields set in m.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#update-manufacturer
func (s *ManufacturersService) Update(ctx context.Context, externalCompanyID int64, m *ManufacturerRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update manufacturer %d", externalCompanyID), sitePath(s.site, "manufacturers", itoa(externalCompanyID)), m)
}

// BatchUpdate updates manufacturers partially; each must carry its ExternalCompanyID.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#batch-update-manufacturers
func (s *ManufacturersService) BatchUpdate(ctx context.Context, ms []ManufacturerRequest) (BatchResults, *Response, error) {
	for i := range ms {
		if ms[i].ExternalCompanyID == 0 {
			return nil, nil, fmt.Errorf("sitoo: batch update manufacturers: item %d: %w", i, invalidArg("ExternalCompanyID is required"))
		}
	}
	return sendBatch(ctx, s.c, "batch update manufacturers", http.MethodPut, sitePath(s.site, "manufacturers"), ms, 0, true)
}

// Delete removes one manufacturer.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#delete-manufacturer
func (s *ManufacturersService) Delete(ctx context.Context, externalCompanyID int64) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete manufacturer %d", externalCompanyID), sitePath(s.site, "manufacturers", itoa(externalCompanyID)))
}

// BatchDelete removes manufacturers by ExternalCompanyID.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/manufacturers#batch-delete-manufacturers
func (s *ManufacturersService) BatchDelete(ctx context.Context, externalCompanyIDs []int64) (BatchResults, *Response, error) {
	return sendBatch(ctx, s.c, "batch delete manufacturers", http.MethodDelete, sitePath(s.site, "manufacturers"), keyed("externalcompanyid", externalCompanyIDs), 0, false)
}
