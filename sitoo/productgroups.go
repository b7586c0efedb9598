package sitoo

import (
	"context"
	"fmt"
	"iter"
)

// ProductGroup sets the VAT and type of the products in it. Every product is in exactly one group
// (its VATID); a product without one gets the default group, vatid 2, which cannot be deleted.
type ProductGroup struct {
	VATID            int64            `json:"vatid"`
	Value            Percent          `json:"value"` // VAT percentage, e.g. 25
	ProductGroupType ProductGroupType `json:"productgrouptype"`
	ProductGroupName string           `json:"productgroupname"`
	Comment          string           `json:"comment"`
}

// ProductGroupRequest is the body of a product group add or (partial) update.
// ProductGroupName is required when adding.
type ProductGroupRequest struct {
	Value            *Percent          `json:"value,omitempty"`
	ProductGroupType *ProductGroupType `json:"productgrouptype,omitempty"`
	ProductGroupName *string           `json:"productgroupname,omitempty"`
	Comment          *string           `json:"comment,omitempty"`
}

// ProductGroupsService manages /sites/{site}/productgroups (VAT groups). Get it from
// Site.ProductGroups.
type ProductGroupsService service

// Get returns one product group.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-groups#get-product-group
func (s *ProductGroupsService) Get(ctx context.Context, vatID int64) (*ProductGroup, *Response, error) {
	return getOne[ProductGroup](ctx, s.c, fmt.Sprintf("get product group %d", vatID), sitePath(s.site, "productgroups", itoa(vatID)))
}

// List returns one page of product groups.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-groups#get-product-groups
func (s *ProductGroupsService) List(ctx context.Context, opts *ListOptions) ([]ProductGroup, *Response, error) {
	items, resp, err := listOne[ProductGroup](ctx, s.c, sitePath(s.site, "productgroups"), opts)
	return items, resp, wrapErr("list product groups", err)
}

// All iterates over every product group.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-groups#get-product-groups
func (s *ProductGroupsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[ProductGroup, error] {
	return wrapSeq(listAll[ProductGroup](ctx, s.c, sitePath(s.site, "productgroups"), opts), "list product groups")
}

// Create adds a product group and returns its vatid.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-groups
func (s *ProductGroupsService) Create(ctx context.Context, g *ProductGroupRequest) (int64, *Response, error) {
	if g == nil || g.ProductGroupName == nil || *g.ProductGroupName == "" {
		return 0, nil, fmt.Errorf("sitoo: create product group: %w", invalidArg("name is required"))
	}
	return s.c.create(ctx, "create product group", sitePath(s.site, "productgroups"), nil, g, false)
}

// Update changes the fields set in g.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-groups#update-product-group
func (s *ProductGroupsService) Update(ctx context.Context, vatID int64, g *ProductGroupRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update product group %d", vatID), sitePath(s.site, "productgroups", itoa(vatID)), g)
}

// Delete removes a product group.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-groups#delete-product-group
func (s *ProductGroupsService) Delete(ctx context.Context, vatID int64) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete product group %d", vatID), sitePath(s.site, "productgroups", itoa(vatID)))
}
