package woocommerce

import (
	"context"
	"iter"
	"net/http"
	"strconv"
)

// Category is a product category (GET /products/categories/{id}). Parent is 0 for a root
// category; Image is nil when the category has none.
type Category struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	Slug        string        `json:"slug"`
	Parent      int64         `json:"parent"`
	Description string        `json:"description"`
	Display     string        `json:"display"` // default, products, subcategories or both
	Image       OptionalImage `json:"image"`
	MenuOrder   int64         `json:"menu_order"`
	Count       int64         `json:"count"`
}

// CategoryRequest creates or updates a category. Only the fields that are set are sent.
type CategoryRequest struct {
	Name        *string       `json:"name,omitempty"`
	Slug        *string       `json:"slug,omitempty"`
	Parent      *int64        `json:"parent,omitempty"`
	Description *string       `json:"description,omitempty"`
	Display     *string       `json:"display,omitempty"`
	Image       *ImageRequest `json:"image,omitempty"`
	MenuOrder   *int64        `json:"menu_order,omitempty"`
}

// CategoryListOptions filters GET /products/categories.
type CategoryListOptions struct {
	ListOptions
	Search  string  `url:"search,omitempty"`
	Include []int64 `url:"include,omitempty,comma"`
	Exclude []int64 `url:"exclude,omitempty,comma"`
	// Parent limits the list to the children of this category; set it to Ptr(int64(0)) for the
	// root categories.
	Parent    *int64 `url:"parent,omitempty"`
	Product   int64  `url:"product,omitempty"`
	Slug      string `url:"slug,omitempty"`
	HideEmpty bool   `url:"hide_empty,omitempty"`
}

// CategoriesService manages product categories. Create it through NewClient.
type CategoriesService service

func categoryPath(id int64) string { return "products/categories/" + strconv.FormatInt(id, 10) }

// List returns one page of categories.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-product-categories
func (s *CategoriesService) List(ctx context.Context, opts *CategoryListOptions) ([]Category, *Response, error) {
	return list[Category](ctx, s.client, "list categories", "products/categories", pagerOrNil(opts))
}

// All iterates over every category matching opts. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-product-categories
func (s *CategoriesService) All(ctx context.Context, opts *CategoryListOptions) iter.Seq2[Category, error] {
	return all[Category](ctx, s.client, "list categories", "products/categories", opts, func(x *Category) int64 { return x.ID })
}

// Get returns the category with this id.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-product-category
func (s *CategoriesService) Get(ctx context.Context, id int64) (*Category, *Response, error) {
	return get[Category](ctx, s.client, "get category", categoryPath(id))
}

// Create creates a category. WordPress refuses a second term with the same name under the same
// parent (term_exists, ErrAlreadyExists), so a repeat after a lost response cannot create a
// duplicate and the request is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-product-category
func (s *CategoriesService) Create(ctx context.Context, req *CategoryRequest) (*Category, *Response, error) {
	return write[Category](ctx, s.client, "create category", call{method: http.MethodPost, path: "products/categories", body: req, retrySafe: true})
}

// Update changes the fields set in req. Repeating it has the same effect, so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-product-category
func (s *CategoriesService) Update(ctx context.Context, id int64, req *CategoryRequest) (*Category, *Response, error) {
	return write[Category](ctx, s.client, "update category", call{method: http.MethodPut, path: categoryPath(id), body: req, retrySafe: true})
}

// Delete deletes the category permanently (terms cannot be trashed, so force=true is sent).
// Its products are not deleted.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-product-category
func (s *CategoriesService) Delete(ctx context.Context, id int64) (*Category, *Response, error) {
	return del[Category](ctx, s.client, "delete category", categoryPath(id), true)
}

// Batch creates, updates and deletes categories, in requests of at most 100 items.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-product-categories
func (s *CategoriesService) Batch(ctx context.Context, b *Batch[CategoryRequest]) (*BatchResult[Category], error) {
	return runBatch[Category](ctx, s.client, "batch categories", "products/categories/batch", b)
}

// CategoryTree orders categories as a hierarchy: it returns the roots and a map from a category
// id to its children, each in input order. A category whose parent is not in the list is treated
// as a root, so a partial list still yields a usable tree.
func CategoryTree(cats []Category) (roots []Category, children map[int64][]Category) {
	known := make(map[int64]bool, len(cats))
	for _, c := range cats {
		known[c.ID] = true
	}
	children = make(map[int64][]Category)
	for _, c := range cats {
		if c.Parent == 0 || !known[c.Parent] || c.Parent == c.ID {
			roots = append(roots, c)
			continue
		}
		children[c.Parent] = append(children[c.Parent], c)
	}
	return roots, children
}
