package sitoo

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
)

// Category is a webshop menu item and product container. Categories form a tree through
// CategoryParentID.
type Category struct {
	CategoryID int64 `json:"categoryid"`
	// CategoryParentID is the parent's id, or nil for a top-level category.
	CategoryParentID *int64   `json:"categoryparentid"`
	Title            string   `json:"title"`
	Visible          bool     `json:"visible"`
	SortOrder        int      `json:"sortorder"` // 0-based index among siblings
	Custom1          string   `json:"custom1"`
	Custom2          string   `json:"custom2"`
	Friendly         string   `json:"friendly"` // URL path below the site URL
	SEOTitle         string   `json:"seo_title"`
	SEOKeywords      string   `json:"seo_keywords"`
	SEODescription   string   `json:"seo_description"`
	DateCreated      UnixTime `json:"datecreated"`
	DateModified     UnixTime `json:"datemodified"`
}

// CategoryRequest is the body of a category add or (partial) update. Title is required when adding.
type CategoryRequest struct {
	// CategoryParentID set to a pointer to 0 is sent as null: a top-level category.
	CategoryParentID *NullID `json:"categoryparentid,omitempty"`
	Title            *string `json:"title,omitempty"`
	Visible          *bool   `json:"visible,omitempty"`
	SortOrder        *int    `json:"sortorder,omitempty"`
	Custom1          *string `json:"custom1,omitempty"`
	Custom2          *string `json:"custom2,omitempty"`
	Friendly         *string `json:"friendly,omitempty"`
	SEOTitle         *string `json:"seo_title,omitempty"`
	SEOKeywords      *string `json:"seo_keywords,omitempty"`
	SEODescription   *string `json:"seo_description,omitempty"`
}

// CategoriesService manages /sites/{site}/categories. Get it from Site.Categories.
type CategoriesService service

// Get returns one category.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/categories#get-category
func (s *CategoriesService) Get(ctx context.Context, categoryID int64) (*Category, *Response, error) {
	return getOne[Category](ctx, s.c, fmt.Sprintf("get category %d", categoryID), sitePath(s.site, "categories", itoa(categoryID)))
}

// List returns one page of categories.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/categories#get-categories
func (s *CategoriesService) List(ctx context.Context, opts *ListOptions) ([]Category, *Response, error) {
	items, resp, err := listOne[Category](ctx, s.c, sitePath(s.site, "categories"), opts)
	return items, resp, wrapErr("list categories", err)
}

// All iterates over every category.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/categories#get-categories
func (s *CategoriesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Category, error] {
	return wrapSeq(listAll[Category](ctx, s.c, sitePath(s.site, "categories"), opts), "list categories")
}

// Create adds a category and returns its id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/categories
func (s *CategoriesService) Create(ctx context.Context, c *CategoryRequest) (int64, *Response, error) {
	if c == nil || c.Title == nil || *c.Title == "" {
		return 0, nil, fmt.Errorf("sitoo: create category: %w", invalidArg("title is required"))
	}
	return s.c.create(ctx, "create category", sitePath(s.site, "categories"), nil, c, false)
}

// Update changes the fields set in c.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/categories#update-category
func (s *CategoriesService) Update(ctx context.Context, categoryID int64, c *CategoryRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update category %d", categoryID), sitePath(s.site, "categories", itoa(categoryID)), c)
}

// Delete removes a category.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/categories#delete-category
func (s *CategoriesService) Delete(ctx context.Context, categoryID int64) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete category %d", categoryID), sitePath(s.site, "categories", itoa(categoryID)))
}

// SortCategoriesTopDown orders categories so that every parent comes before its children (roots
// first, siblings by SortOrder then id), the order in which a copy of the tree can be created
// elsewhere. A category whose parent is missing from cats is treated as a root. A cycle is an
// error.
func SortCategoriesTopDown(cats []Category) ([]Category, error) {
	byID := make(map[int64]int, len(cats))
	for i, c := range cats {
		byID[c.CategoryID] = i
	}
	children := make(map[int64][]int, len(cats))
	var roots []int
	for i, c := range cats {
		if c.CategoryParentID == nil || *c.CategoryParentID == 0 || *c.CategoryParentID == c.CategoryID {
			roots = append(roots, i)
			continue
		}
		if _, ok := byID[*c.CategoryParentID]; !ok {
			roots = append(roots, i)
			continue
		}
		children[*c.CategoryParentID] = append(children[*c.CategoryParentID], i)
	}
	less := func(a, b int) int {
		if cats[a].SortOrder != cats[b].SortOrder {
			return cats[a].SortOrder - cats[b].SortOrder
		}
		return cmp.Compare(cats[a].CategoryID, cats[b].CategoryID)
	}
	out := make([]Category, 0, len(cats))
	expanded := make(map[int64]bool, len(cats))
	slices.SortFunc(roots, less)
	queue := roots
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		out = append(out, cats[i])
		if id := cats[i].CategoryID; !expanded[id] {
			expanded[id] = true
			kids := children[id]
			slices.SortFunc(kids, less)
			queue = append(queue, kids...)
		}
	}
	if len(out) != len(cats) {
		return nil, invalidArg("category parents form a cycle (%d of %d categories reachable from a root)", len(out), len(cats))
	}
	return out, nil
}
