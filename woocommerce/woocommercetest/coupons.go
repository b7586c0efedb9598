package woocommercetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

type coupon struct {
	id                        int64
	code                      string
	amount                    decimal.Decimal
	status                    string
	prevStatus                string
	created, modified         time.Time
	discountType              string
	description               string
	expires                   time.Time
	usageCount                int64
	individualUse             bool
	productIDs                []int64
	excludedProductIDs        []int64
	usageLimit                int64
	usageLimitPerUser         int64
	limitUsageToXItems        int64
	freeShipping              bool
	productCategories         []int64
	excludedProductCategories []int64
	excludeSaleItems          bool
	minimumAmount             decimal.Decimal
	maximumAmount             decimal.Decimal
	emailRestrictions         []string
	usedBy                    []string
	meta                      []meta
}

func (cp *coupon) sortKey() sortKey {
	return sortKey{id: cp.id, created: cp.created, modified: cp.modified, title: cp.code, slug: cp.code}
}

// couponByCode finds a published coupon by code, case-insensitively (wc_get_coupon_id_by_code).
func (st *state) couponByCode(code string) *coupon {
	code = strings.ToLower(strings.TrimSpace(code))
	for _, cp := range sortedValues(st.coupons) {
		if cp.code == code && cp.status == "publish" {
			return cp
		}
	}
	return nil
}

// formatCouponCode is wc_format_coupon_code followed by the woocommerce_coupon_code filter's
// wc_strtolower.
func formatCouponCode(code string) string {
	return strings.ToLower(strings.TrimSpace(code))
}

func couponFields() []field {
	return []field{
		str("code"), str("amount"), enum("status", "draft", "pending", "private", "publish", "future"),
		enum("discount_type", "percent", "fixed_cart", "fixed_product"), str("description"),
		// WordPress does not type-check the schema's "date-time" type, so any value passes;
		// date_expires_gmt is writable in the schema but WC_Coupon has no setter for it.
		mixed("date_expires"), mixed("date_expires_gmt"), boolean("individual_use"),
		idList("product_ids"), idList("excluded_product_ids"), integer("usage_limit").orNull(),
		integer("usage_limit_per_user").orNull(), integer("limit_usage_to_x_items").orNull(), boolean("free_shipping"),
		idList("product_categories"), idList("excluded_product_categories"), boolean("exclude_sale_items"),
		str("minimum_amount"), str("maximum_amount"), arrayOf("email_restrictions", str("")), metaField(),
	}
}

func (s *Server) couponHandlers() handlers {
	return handlers{
		listSpec: listSpec{
			orderby: []string{"date", "id", "include", "title", "slug", "modified"}, defOrderby: "date",
			extra: []field{str("code"), enum("status", "any", "future", "trash", "draft", "pending", "private", "publish")},
		},
		fields: couponFields(), required: []string{"code"},
		list: s.listCoupons, create: s.createCoupon, get: s.getCoupon, update: s.updateCoupon, del: s.deleteCoupon,
		exists: func(c *call) bool { return s.st.coupons[c.idArg()] != nil },
	}
}

type couponInput struct {
	Code                      *string         `json:"code"`
	Amount                    *string         `json:"amount"`
	Status                    *string         `json:"status"`
	DiscountType              *string         `json:"discount_type"`
	Description               *string         `json:"description"`
	DateExpires               json.RawMessage `json:"date_expires"`
	IndividualUse             *bool           `json:"individual_use"`
	ProductIDs                *[]int64        `json:"product_ids"`
	ExcludedProductIDs        *[]int64        `json:"excluded_product_ids"`
	UsageLimit                json.RawMessage `json:"usage_limit"`
	UsageLimitPerUser         json.RawMessage `json:"usage_limit_per_user"`
	LimitUsageToXItems        json.RawMessage `json:"limit_usage_to_x_items"`
	FreeShipping              *bool           `json:"free_shipping"`
	ProductCategories         *[]int64        `json:"product_categories"`
	ExcludedProductCategories *[]int64        `json:"excluded_product_categories"`
	ExcludeSaleItems          *bool           `json:"exclude_sale_items"`
	MinimumAmount             *string         `json:"minimum_amount"`
	MaximumAmount             *string         `json:"maximum_amount"`
	EmailRestrictions         *[]string       `json:"email_restrictions"`
	MetaData                  []metaInput     `json:"meta_data"`
}

// applyCoupon sets the properties present in in, checking the code like the coupons controller.
func (s *Server) applyCoupon(cp *coupon, in *couponInput, creating bool, ev *events) *wpError {
	if in.Code != nil {
		code := formatCouponCode(*in.Code)
		if code == "" {
			return newError(400, "woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.")
		}
		for _, other := range s.st.coupons {
			if other.id != cp.id && other.code == code && other.status == "publish" {
				return newError(400, "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists")
			}
		}
		cp.code = code
	}
	if in.Amount != nil {
		cp.amount = decimalOf(s.formatDecimal(*in.Amount))
	}
	if in.Status != nil {
		cp.status = *in.Status
	}
	if in.DiscountType != nil {
		cp.discountType = *in.DiscountType
	}
	if in.Description != nil {
		cp.description = *in.Description
	}
	// date_expires_gmt has no setter on WC_Coupon, so the controller ignores it; JSON null is
	// skipped (is_null) and "" clears the expiry.
	if in.DateExpires != nil && !bytes.Equal(bytes.TrimSpace(in.DateExpires), []byte("null")) {
		cp.expires = s.setDateProp(in.DateExpires)
	}
	if in.IndividualUse != nil {
		cp.individualUse = *in.IndividualUse
	}
	setIDs := func(dst *[]int64, v *[]int64) {
		if v != nil {
			*dst = slices.Clone(*v)
		}
	}
	setIDs(&cp.productIDs, in.ProductIDs)
	setIDs(&cp.excludedProductIDs, in.ExcludedProductIDs)
	setIDs(&cp.productCategories, in.ProductCategories)
	setIDs(&cp.excludedProductCategories, in.ExcludedProductCategories)
	setLimit := func(dst *int64, raw json.RawMessage) {
		if raw == nil {
			return
		}
		n, _ := jsonInteger(raw)
		*dst = max(n, 0)
	}
	setLimit(&cp.usageLimit, in.UsageLimit)
	setLimit(&cp.usageLimitPerUser, in.UsageLimitPerUser)
	setLimit(&cp.limitUsageToXItems, in.LimitUsageToXItems)
	if in.FreeShipping != nil {
		cp.freeShipping = *in.FreeShipping
	}
	if in.ExcludeSaleItems != nil {
		cp.excludeSaleItems = *in.ExcludeSaleItems
	}
	if in.MinimumAmount != nil {
		cp.minimumAmount = decimalOf(s.formatDecimal(*in.MinimumAmount))
	}
	if in.MaximumAmount != nil {
		cp.maximumAmount = decimalOf(s.formatDecimal(*in.MaximumAmount))
	}
	if in.EmailRestrictions != nil {
		cp.emailRestrictions = nil
		for _, e := range *in.EmailRestrictions {
			e = strings.ToLower(strings.TrimSpace(e))
			if e == "" {
				continue
			}
			if !isEmail(strings.ReplaceAll(e, "*", "x")) {
				return newError(400, "coupon_invalid_email_address", "Invalid email address restriction.")
			}
			cp.emailRestrictions = append(cp.emailRestrictions, e)
		}
	}
	cp.meta = s.st.updateMeta(cp.meta, in.MetaData)
	if !creating {
		cp.modified = s.now()
	}
	s.st.coupons[cp.id] = cp
	verb := "updated"
	if creating {
		verb = "created"
	}
	ev.add("coupon", verb, cp.id)
	return nil
}

func (s *Server) listCoupons(c *call) (int, any, *wpError) {
	q := c.list
	status := "any"
	if q.has("status") {
		status = q.str("status")
	}
	code := ""
	if q.has("code") {
		code = formatCouponCode(q.str("code"))
		if code == "" {
			code = "\x00" // WooCommerce queries post__in [0]: nothing matches
		}
	}
	var items []*coupon
	for _, cp := range sortedValues(s.st.coupons) {
		if (status == "any" && cp.status == "trash") || (status != "any" && cp.status != status) {
			continue
		}
		if code != "" && cp.code != code {
			continue
		}
		if q.search != "" && !containsFold(cp.code, q.search) && !containsFold(cp.description, q.search) {
			continue
		}
		if !q.keep(cp.sortKey()) {
			continue
		}
		items = append(items, cp)
	}
	sortItems(q, items, (*coupon).sortKey)
	out := []any{}
	for _, cp := range page(c, items) {
		out = append(out, s.renderCoupon(c.tls, cp))
	}
	return http.StatusOK, out, nil
}

func (s *Server) getCoupon(c *call) (int, any, *wpError) {
	cp := s.st.coupons[c.idArg()]
	if cp == nil {
		return 0, nil, errInvalidID("shop_coupon", 404)
	}
	return http.StatusOK, s.renderCoupon(c.tls, cp), nil
}

func (s *Server) createCoupon(c *call) (int, any, *wpError) {
	if c.rawID() {
		return 0, nil, errExists("shop_coupon")
	}
	var in couponInput
	_ = decodeInto(c.in, &in)
	now := s.now()
	cp := &coupon{id: s.st.nextPost, status: "publish", discountType: "fixed_cart", created: now, modified: now}
	if err := s.applyCoupon(cp, &in, true, c.events); err != nil {
		return 0, nil, err
	}
	s.st.newPost()
	return c.created("coupons/"+strconv.FormatInt(cp.id, 10), s.renderCoupon(c.tls, cp))
}

func (s *Server) updateCoupon(c *call) (int, any, *wpError) {
	cp := s.st.coupons[c.idArg()]
	if cp == nil {
		return 0, nil, errInvalidID("shop_coupon", 400)
	}
	var in couponInput
	_ = decodeInto(c.in, &in)
	dup := *cp
	if err := s.applyCoupon(&dup, &in, false, c.events); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderCoupon(c.tls, &dup), nil
}

func (s *Server) deleteCoupon(c *call) (int, any, *wpError) {
	cp := s.st.coupons[c.idArg()]
	if cp == nil {
		return 0, nil, errInvalidID("shop_coupon", 404)
	}
	body := s.renderCoupon(c.tls, cp)
	if c.force {
		delete(s.st.coupons, cp.id)
		c.events.add("coupon", "deleted", cp.id)
		return http.StatusOK, body, nil
	}
	if cp.status == "trash" {
		return 0, nil, errAlreadyTrashed("shop_coupon")
	}
	cp.prevStatus, cp.status, cp.modified = cp.status, "trash", s.now()
	c.events.add("coupon", "deleted", cp.id)
	return http.StatusOK, s.renderCoupon(c.tls, cp), nil
}

type couponJSON struct {
	ID                        int64    `json:"id"`
	Code                      string   `json:"code"`
	Amount                    string   `json:"amount"`
	Status                    string   `json:"status"`
	DateCreated               *string  `json:"date_created"`
	DateCreatedGMT            *string  `json:"date_created_gmt"`
	DateModified              *string  `json:"date_modified"`
	DateModifiedGMT           *string  `json:"date_modified_gmt"`
	DiscountType              string   `json:"discount_type"`
	Description               string   `json:"description"`
	DateExpires               *string  `json:"date_expires"`
	DateExpiresGMT            *string  `json:"date_expires_gmt"`
	UsageCount                int64    `json:"usage_count"`
	IndividualUse             bool     `json:"individual_use"`
	ProductIDs                []int64  `json:"product_ids"`
	ExcludedProductIDs        []int64  `json:"excluded_product_ids"`
	UsageLimit                *int64   `json:"usage_limit"`
	UsageLimitPerUser         *int64   `json:"usage_limit_per_user"`
	LimitUsageToXItems        *int64   `json:"limit_usage_to_x_items"`
	FreeShipping              bool     `json:"free_shipping"`
	ProductCategories         []int64  `json:"product_categories"`
	ExcludedProductCategories []int64  `json:"excluded_product_categories"`
	ExcludeSaleItems          bool     `json:"exclude_sale_items"`
	MinimumAmount             string   `json:"minimum_amount"`
	MaximumAmount             string   `json:"maximum_amount"`
	EmailRestrictions         []string `json:"email_restrictions"`
	UsedBy                    []string `json:"used_by"`
	MetaData                  []meta   `json:"meta_data"`
	Links                     links    `json:"_links"`
}

// nullIfZero renders 0 as null, as the coupons controller does for the usage limits.
func nullIfZero(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func (s *Server) renderCoupon(tls bool, cp *coupon) couponJSON {
	id := strconv.FormatInt(cp.id, 10)
	j := couponJSON{
		ID: cp.id, Code: cp.code, Amount: cp.amount.StringFixed(2), Status: cp.status,
		DateCreated: s.localDate(cp.created), DateCreatedGMT: gmtDate(cp.created),
		DateModified: s.localDate(cp.modified), DateModifiedGMT: gmtDate(cp.modified),
		DiscountType: cp.discountType, Description: cp.description,
		DateExpires: s.localDate(cp.expires), DateExpiresGMT: gmtDate(cp.expires), UsageCount: cp.usageCount,
		IndividualUse: cp.individualUse, ProductIDs: idsOut(cp.productIDs), ExcludedProductIDs: idsOut(cp.excludedProductIDs),
		UsageLimit: nullIfZero(cp.usageLimit), UsageLimitPerUser: nullIfZero(cp.usageLimitPerUser),
		LimitUsageToXItems: nullIfZero(cp.limitUsageToXItems), FreeShipping: cp.freeShipping,
		ProductCategories: idsOut(cp.productCategories), ExcludedProductCategories: idsOut(cp.excludedProductCategories),
		ExcludeSaleItems: cp.excludeSaleItems, MinimumAmount: cp.minimumAmount.StringFixed(2),
		MaximumAmount: cp.maximumAmount.StringFixed(2), EmailRestrictions: slices.Clone(cp.emailRestrictions),
		UsedBy: slices.Clone(cp.usedBy), MetaData: metaOut(cp.meta), Links: s.links(tls, "coupons/"+id, "coupons"),
	}
	if j.EmailRestrictions == nil {
		j.EmailRestrictions = []string{}
	}
	if j.UsedBy == nil {
		j.UsedBy = []string{}
	}
	return j
}
