package woocommerce

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
)

// DiscountType is a coupon's discount type.
type DiscountType string

// Coupon discount types.
const (
	DiscountPercent      DiscountType = "percent"
	DiscountFixedCart    DiscountType = "fixed_cart" // the default
	DiscountFixedProduct DiscountType = "fixed_product"
)

// Coupon is a WooCommerce coupon (GET /coupons/{id}). Code is stored lowercased. WooCommerce
// returns amounts with two decimals ("10.00").
type Coupon struct {
	ID                        int64        `json:"id"`
	Code                      string       `json:"code"`
	Amount                    Money        `json:"amount"`
	Status                    string       `json:"status,omitempty"`
	DateCreated               LocalTime    `json:"date_created"`
	DateCreatedGMT            UTCTime      `json:"date_created_gmt"`
	DateModified              LocalTime    `json:"date_modified"`
	DateModifiedGMT           UTCTime      `json:"date_modified_gmt"`
	DiscountType              DiscountType `json:"discount_type"`
	Description               string       `json:"description"`
	DateExpires               LocalTime    `json:"date_expires"`
	DateExpiresGMT            UTCTime      `json:"date_expires_gmt"`
	UsageCount                int64        `json:"usage_count"`
	IndividualUse             bool         `json:"individual_use"`
	ProductIDs                []int64      `json:"product_ids"`
	ExcludedProductIDs        []int64      `json:"excluded_product_ids"`
	UsageLimit                NullInt      `json:"usage_limit"`
	UsageLimitPerUser         NullInt      `json:"usage_limit_per_user"`
	LimitUsageToXItems        NullInt      `json:"limit_usage_to_x_items"`
	FreeShipping              bool         `json:"free_shipping"`
	ProductCategories         []int64      `json:"product_categories"`
	ExcludedProductCategories []int64      `json:"excluded_product_categories"`
	ExcludeSaleItems          bool         `json:"exclude_sale_items"`
	MinimumAmount             Money        `json:"minimum_amount"`
	MaximumAmount             Money        `json:"maximum_amount"`
	EmailRestrictions         []string     `json:"email_restrictions"`
	// UsedBy lists the customers (user ids, or emails for guests) who used the coupon.
	UsedBy   []string   `json:"used_by"`
	MetaData []MetaData `json:"meta_data"`
}

// CouponRequest creates or updates a coupon. Only the fields that are set are sent. Code is
// required on create.
type CouponRequest struct {
	Code         *string       `json:"code,omitempty"`
	Amount       *Money        `json:"amount,omitempty"`
	Status       *string       `json:"status,omitempty"`
	DiscountType *DiscountType `json:"discount_type,omitempty"`
	Description  *string       `json:"description,omitempty"`
	// DateExpires sets or clears the expiry: ExpiresAt(t) or NeverExpires(). nil leaves it as it
	// is. (WooCommerce ignores date_expires_gmt on writes, so the request never sends it.)
	DateExpires               *CouponExpiry `json:"date_expires,omitempty"`
	IndividualUse             *bool         `json:"individual_use,omitempty"`
	ProductIDs                []int64       `json:"product_ids,omitempty"`
	ExcludedProductIDs        []int64       `json:"excluded_product_ids,omitempty"`
	UsageLimit                *NullInt      `json:"usage_limit,omitempty"`
	UsageLimitPerUser         *NullInt      `json:"usage_limit_per_user,omitempty"`
	LimitUsageToXItems        *NullInt      `json:"limit_usage_to_x_items,omitempty"`
	FreeShipping              *bool         `json:"free_shipping,omitempty"`
	ProductCategories         []int64       `json:"product_categories,omitempty"`
	ExcludedProductCategories []int64       `json:"excluded_product_categories,omitempty"`
	ExcludeSaleItems          *bool         `json:"exclude_sale_items,omitempty"`
	MinimumAmount             *Money        `json:"minimum_amount,omitempty"`
	MaximumAmount             *Money        `json:"maximum_amount,omitempty"`
	EmailRestrictions         []string      `json:"email_restrictions,omitempty"`
	// MetaData adds or updates meta entries by key (or by id when ID is set); entries not listed
	// are kept.
	MetaData []MetaData `json:"meta_data,omitempty"`
}

// CouponListOptions filters GET /coupons.
type CouponListOptions struct {
	ListOptions
	DateFilter
	Search  string  `url:"search,omitempty"`
	Include []int64 `url:"include,omitempty,comma"`
	Exclude []int64 `url:"exclude,omitempty,comma"`
	// Code matches the coupon code exactly (case-insensitive).
	Code string `url:"code,omitempty"`
}

// CouponsService manages coupons. Create it through NewClient.
type CouponsService service

func couponPath(id int64) string { return "coupons/" + strconv.FormatInt(id, 10) }

// List returns one page of coupons.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-coupons
func (s *CouponsService) List(ctx context.Context, opts *CouponListOptions) ([]Coupon, *Response, error) {
	return list[Coupon](ctx, s.client, "list coupons", "coupons", pagerOrNil(opts))
}

// All iterates over every coupon matching opts. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-coupons
func (s *CouponsService) All(ctx context.Context, opts *CouponListOptions) iter.Seq2[Coupon, error] {
	return all[Coupon](ctx, s.client, "list coupons", "coupons", opts, func(x *Coupon) int64 { return x.ID })
}

// Get returns the coupon with this id.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-coupon
func (s *CouponsService) Get(ctx context.Context, id int64) (*Coupon, *Response, error) {
	return get[Coupon](ctx, s.client, "get coupon", couponPath(id))
}

// GetByCode returns the coupon with this code (compared case-insensitively, as WooCommerce stores
// codes lowercased). It fails with ErrNotFound when there is none.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-coupons
func (s *CouponsService) GetByCode(ctx context.Context, code string) (*Coupon, *Response, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, nil, invalid("get coupon by code", &ParamError{Param: "code", Value: code, Reason: "must not be empty"})
	}
	coupons, resp, err := s.List(ctx, &CouponListOptions{Code: code, ListOptions: ListOptions{PerPage: 10}})
	if err != nil {
		return nil, resp, err
	}
	for i := range coupons {
		if strings.EqualFold(coupons[i].Code, code) {
			return &coupons[i], resp, nil
		}
	}
	return nil, resp, notFoundBy("get coupon by code", "coupon with code "+strconv.Quote(code))
}

// Create creates a coupon. A coupon code is unique in a store (WooCommerce refuses a second one
// with woocommerce_rest_coupon_code_already_exists), so the request is retried after a network
// error or a 5xx: if the first attempt was applied, the repeat fails with ErrAlreadyExists and
// GetByCode finds the coupon. Choosing a deterministic code therefore makes coupon creation
// idempotent.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-coupon
func (s *CouponsService) Create(ctx context.Context, req *CouponRequest) (*Coupon, *Response, error) {
	if req == nil || req.Code == nil || strings.TrimSpace(*req.Code) == "" {
		return nil, nil, invalid("create coupon", &ParamError{Param: "code", Reason: "is required to create a coupon"})
	}
	return write[Coupon](ctx, s.client, "create coupon", call{method: http.MethodPost, path: "coupons", body: req, retrySafe: true})
}

// Update changes the fields set in req. Repeating it has the same effect, so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-coupon
func (s *CouponsService) Update(ctx context.Context, id int64, req *CouponRequest) (*Coupon, *Response, error) {
	return write[Coupon](ctx, s.client, "update coupon", call{method: http.MethodPut, path: couponPath(id), body: req, retrySafe: true})
}

// Delete trashes the coupon, or deletes it permanently when force is true.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-coupon
func (s *CouponsService) Delete(ctx context.Context, id int64, force bool) (*Coupon, *Response, error) {
	return del[Coupon](ctx, s.client, "delete coupon", couponPath(id), force)
}

// Batch creates, updates and deletes coupons, in requests of at most 100 items.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-coupons
func (s *CouponsService) Batch(ctx context.Context, b *Batch[CouponRequest]) (*BatchResult[Coupon], error) {
	return runBatch[Coupon](ctx, s.client, "batch coupons", "coupons/batch", b)
}

// notFoundBy is the error of a lookup by a unique field that found nothing, named with op.
func notFoundBy(op, what string) error {
	return fmt.Errorf("woocommerce: %s: %w", op, &lookupError{what: what})
}

// lookupError is a lookup by a unique field that found nothing; it matches ErrNotFound.
type lookupError struct{ what string }

func (e *lookupError) Error() string        { return "no " + e.what }
func (e *lookupError) Is(target error) bool { return target == ErrNotFound }
