package woocommercetest_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func price(s string) *woocommerce.NullMoney {
	m := woocommerce.SomeMoney(money(s))
	return &m
}

func TestProducts(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	cat, _, err := c.Categories.Create(ctx, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("Mugs & Cups")})
	require.NoError(t, err)
	assert.Equal(t, "mugs-cups", cat.Slug)

	p, _, err := c.Products.Create(ctx, &woocommerce.ProductRequest{
		Name: woocommerce.Ptr("Big Mug"), SKU: woocommerce.Ptr("MUG-BIG"), RegularPrice: price("12.50"), SalePrice: price("9.99"),
		ManageStock: woocommerce.Ptr(woocommerce.StockManaged), StockQuantity: woocommerce.Ptr(int64(3)),
		Categories: []woocommerce.TermRef{{ID: cat.ID}},
	})
	require.NoError(t, err)
	assert.Equal(t, "big-mug", p.Slug)
	assert.Equal(t, woocommerce.ProductSimple, p.Type)
	assert.Equal(t, woocommerce.ProductPublish, p.Status)
	assert.True(t, p.OnSale)
	assertMoney(t, "9.99", p.Price.Money)
	assert.Equal(t, woocommerce.StockManaged, p.ManageStock)
	assert.Equal(t, woocommerce.InStock, p.StockStatus)
	require.Len(t, p.Categories, 1)
	assert.Equal(t, "Mugs & Cups", p.Categories[0].Name)

	// The SKU is unique.
	_, _, err = c.Products.Create(ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Copy"), SKU: woocommerce.Ptr("MUG-BIG")})
	ae := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "product_invalid_sku", ae.Code)
	assert.Equal(t, "Invalid or duplicated SKU.", ae.Message)
	assert.ErrorIs(t, err, woocommerce.ErrAlreadyExists)

	// An unset sale price is "" on the wire.
	p, _, err = c.Products.Update(ctx, p.ID, &woocommerce.ProductRequest{SalePrice: &woocommerce.NullMoney{},
		StockQuantity: woocommerce.Ptr(int64(0))})
	require.NoError(t, err)
	assert.False(t, p.SalePrice.Valid)
	assert.False(t, p.OnSale)
	assert.Equal(t, woocommerce.OutOfStock, p.StockStatus)
	assert.Contains(t, string(mustGetRaw(t, srv, "products/"+itoa(p.ID))), `"sale_price":""`)

	cats, _, err := c.Categories.List(ctx, &woocommerce.CategoryListOptions{HideEmpty: true})
	require.NoError(t, err)
	require.Len(t, cats, 1)
	assert.Equal(t, int64(1), cats[0].Count)

	other, _, err := c.Products.Create(ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Tee"), SKU: woocommerce.Ptr("TEE"),
		RegularPrice: price("20"), Type: woocommerce.Ptr(woocommerce.ProductVariable)})
	require.NoError(t, err)
	assert.Equal(t, []int64{uncategorized}, termIDs(other.Categories), "new products land in Uncategorized")

	find := func(opts *woocommerce.ProductListOptions) []int64 {
		t.Helper()
		list, _, err := c.Products.List(ctx, opts)
		require.NoError(t, err)
		var ids []int64
		for _, p := range list {
			ids = append(ids, p.ID)
		}
		return ids
	}
	assert.Equal(t, []int64{p.ID}, find(&woocommerce.ProductListOptions{SKU: "MUG-BIG"}))
	assert.Equal(t, []int64{other.ID, p.ID}, find(&woocommerce.ProductListOptions{SKU: "MUG-BIG,TEE"}))
	assert.Equal(t, []int64{other.ID}, find(&woocommerce.ProductListOptions{Type: woocommerce.ProductVariable}))
	assert.Equal(t, []int64{p.ID}, find(&woocommerce.ProductListOptions{Category: itoa(cat.ID)}))
	assert.Equal(t, []int64{p.ID}, find(&woocommerce.ProductListOptions{Search: "big"}))

	// Trash, then delete for good.
	tr, _, err := c.Products.Delete(ctx, p.ID, false)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.ProductStatus("trash"), tr.Status)
	assert.Equal(t, []int64{other.ID}, find(nil))
	_, _, err = c.Products.Delete(ctx, p.ID, true)
	require.NoError(t, err)
	_, _, err = c.Products.Get(ctx, p.ID)
	assert.Equal(t, "woocommerce_rest_product_invalid_id", apiError(t, err).Code)
	// The SKU is free again.
	_, _, err = c.Products.Create(ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Again"), SKU: woocommerce.Ptr("MUG-BIG")})
	require.NoError(t, err)
}

const uncategorized = 15

func termIDs(refs []woocommerce.TermRef) []int64 {
	var out []int64
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestVariations(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	tee, _, err := c.Products.Create(ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Tee"),
		Type: woocommerce.Ptr(woocommerce.ProductVariable), ManageStock: woocommerce.Ptr(woocommerce.StockManaged),
		StockQuantity: woocommerce.Ptr(int64(7))})
	require.NoError(t, err)
	small, _, err := c.Variations.Create(ctx, tee.ID, &woocommerce.VariationRequest{SKU: woocommerce.Ptr("TEE-S"), RegularPrice: price("15"),
		Attributes: []woocommerce.VariationAttr{{Name: "Size", Option: "S"}}})
	require.NoError(t, err)
	assert.Equal(t, woocommerce.StockManagedByParent, small.ManageStock, `manage_stock is "parent"`)
	assert.Equal(t, woocommerce.SomeInt(7), small.StockQuantity)
	assert.Equal(t, "Tee - S", small.Name)
	large, _, err := c.Variations.Create(ctx, tee.ID, &woocommerce.VariationRequest{SKU: woocommerce.Ptr("TEE-L"), RegularPrice: price("17"),
		ManageStock: woocommerce.Ptr(woocommerce.StockManaged), StockQuantity: woocommerce.Ptr(int64(2))})
	require.NoError(t, err)
	assert.Equal(t, woocommerce.StockManaged, large.ManageStock)

	parent, _, err := c.Products.Get(ctx, tee.ID)
	require.NoError(t, err)
	assert.Equal(t, []int64{small.ID, large.ID}, parent.Variations)
	assertMoney(t, "15", parent.Price.Money, "a variable product's price is its cheapest variation")

	// A variation id answers on /products/{id} too, as a product of type "variation".
	asProduct, _, err := c.Products.Get(ctx, large.ID)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.ProductVariation, asProduct.Type)
	assert.Equal(t, tee.ID, asProduct.ParentID)

	list, resp, err := c.Variations.List(ctx, tee.ID, nil)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	assert.Equal(t, 2, resp.Total)

	// Selling the small size takes stock from the parent; the large one tracks its own.
	_, err = srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{
		{ProductID: tee.ID, VariationID: small.ID, Quantity: 2}, {ProductID: tee.ID, VariationID: large.ID, Quantity: 1}}})
	require.NoError(t, err)
	pp, _ := srv.Product(tee.ID)
	assert.Equal(t, int64(5), pp.StockQuantity)
	lv, _ := srv.Product(large.ID)
	assert.Equal(t, int64(1), lv.StockQuantity)

	upd, _, err := c.Variations.Update(ctx, tee.ID, small.ID, &woocommerce.VariationRequest{SalePrice: price("12")})
	require.NoError(t, err)
	assert.True(t, upd.OnSale)

	_, _, err = c.Variations.Get(ctx, tee.ID+999, small.ID)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)
	_, _, err = c.Variations.Delete(ctx, tee.ID, small.ID, true)
	require.NoError(t, err)
	list, _, err = c.Variations.List(ctx, tee.ID, nil)
	require.NoError(t, err)
	assert.Len(t, list, 1)

	res, err := c.Variations.Batch(ctx, tee.ID, &woocommerce.Batch[woocommerce.VariationRequest]{
		Create: []woocommerce.VariationRequest{{SKU: woocommerce.Ptr("TEE-M")}, {SKU: woocommerce.Ptr("TEE-L")}},
	})
	var be *woocommerce.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, res.Created, 1)
	require.Len(t, be.Items, 1)
	assert.Equal(t, 1, be.Items[0].Index)
	assert.Equal(t, "product_invalid_sku", be.Items[0].Code)
}

func TestCategories(t *testing.T) {
	t.Parallel()
	_, c := store(t)
	ctx := ctxT(t)
	clothing, _, err := c.Categories.Create(ctx, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("Clothing")})
	require.NoError(t, err)
	shirts, _, err := c.Categories.Create(ctx, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("Shirts"), Parent: woocommerce.Ptr(clothing.ID)})
	require.NoError(t, err)
	assert.Equal(t, clothing.ID, shirts.Parent)

	_, _, err = c.Categories.Create(ctx, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("clothing")})
	ae := apiError(t, err)
	assert.Equal(t, "term_exists", ae.Code)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)

	roots, _, err := c.Categories.List(ctx, &woocommerce.CategoryListOptions{Parent: woocommerce.Ptr(int64(0))})
	require.NoError(t, err)
	var names []string
	for _, r := range roots {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"Clothing", "Uncategorized"}, names, "ordered by name, ascending")

	upd, _, err := c.Categories.Update(ctx, shirts.ID, &woocommerce.CategoryRequest{Slug: woocommerce.Ptr("tops")})
	require.NoError(t, err)
	assert.Equal(t, "tops", upd.Slug)
	_, _, err = c.Categories.Get(ctx, 9999)
	assert.Equal(t, "woocommerce_rest_term_invalid", apiError(t, err).Code)
	_, _, err = c.Categories.Delete(ctx, shirts.ID)
	require.NoError(t, err)
	_, _, err = c.Categories.Get(ctx, shirts.ID)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)
}

func TestCoupons(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	cp, _, err := c.Coupons.Create(ctx, &woocommerce.CouponRequest{
		Code: woocommerce.Ptr("  LOYAL-10 "), Amount: woocommerce.Ptr(money("10")),
		DiscountType: woocommerce.Ptr(woocommerce.DiscountFixedCart), UsageLimit: woocommerce.Ptr(woocommerce.SomeInt(1)),
		EmailRestrictions: []string{"Ann@Example.com"},
	})
	require.NoError(t, err)
	assert.Equal(t, "loyal-10", cp.Code, "codes are trimmed and lowercased")
	assert.Equal(t, []string{"ann@example.com"}, cp.EmailRestrictions)
	raw := string(mustGetRaw(t, srv, "coupons/"+itoa(cp.ID)))
	assert.Contains(t, raw, `"amount":"10.00"`)
	assert.Contains(t, raw, `"usage_limit_per_user":null`)
	assert.Contains(t, raw, `"date_expires":null`)

	// Unique, case-insensitively.
	_, _, err = c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("Loyal-10"), Amount: woocommerce.Ptr(money("5"))})
	ae := apiError(t, err)
	assert.Equal(t, "woocommerce_rest_coupon_code_already_exists", ae.Code)
	assert.ErrorIs(t, err, woocommerce.ErrAlreadyExists)
	_, _, err = c.Coupons.Update(ctx, cp.ID, &woocommerce.CouponRequest{Code: woocommerce.Ptr(" ")})
	assert.Equal(t, "woocommerce_rest_empty_coupon_code", apiError(t, err).Code)

	got, _, err := c.Coupons.GetByCode(ctx, "LOYAL-10")
	require.NoError(t, err)
	assert.Equal(t, cp.ID, got.ID)
	_, _, err = c.Coupons.GetByCode(ctx, "nope")
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)

	// The restrictions hold when the coupon is used in an order.
	pid := mustProduct(t, srv)
	_, _, err = c.Orders.Create(ctx, &woocommerce.OrderRequest{Billing: &woocommerce.Address{Email: "bob@example.com"},
		LineItems:   []woocommerce.LineItemRequest{{ProductID: pid, Quantity: woocommerce.Ptr(int64(4))}},
		CouponLines: []woocommerce.CouponLineRequest{{Code: "loyal-10"}}})
	ae = apiError(t, err)
	assert.Equal(t, "woocommerce_rest_invalid_coupon", ae.Code)
	assert.Contains(t, ae.Message, "is not yours")

	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{Billing: &woocommerce.Address{Email: "ann@example.com"},
		LineItems:   []woocommerce.LineItemRequest{{ProductID: pid, Quantity: woocommerce.Ptr(int64(4))}},
		CouponLines: []woocommerce.CouponLineRequest{{Code: "LOYAL-10"}}, SetPaid: woocommerce.Ptr(true)})
	require.NoError(t, err)
	assertMoney(t, "10.00", o.Total)
	assertMoney(t, "10.00", o.DiscountTotal)
	require.Len(t, o.CouponLines, 1)
	assert.Equal(t, "loyal-10", o.CouponLines[0].Code)
	used, _ := srv.Coupon("loyal-10")
	assert.Equal(t, int64(1), used.UsageCount)
	assert.Equal(t, []string{"ann@example.com"}, used.UsedBy)

	_, _, err = c.Orders.Create(ctx, &woocommerce.OrderRequest{Billing: &woocommerce.Address{Email: "ann@example.com"},
		LineItems:   []woocommerce.LineItemRequest{{ProductID: pid}},
		CouponLines: []woocommerce.CouponLineRequest{{Code: "loyal-10"}}})
	assert.Equal(t, "Coupon usage limit has been reached.", apiError(t, err).Message)

	// Cancelling the order gives the use back.
	_, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderCancelled)})
	require.NoError(t, err)
	used, _ = srv.Coupon("loyal-10")
	assert.Equal(t, int64(0), used.UsageCount)

	_, _, err = c.Orders.Create(ctx, &woocommerce.OrderRequest{LineItems: []woocommerce.LineItemRequest{{ProductID: pid}},
		CouponLines: []woocommerce.CouponLineRequest{{Code: "ghost"}}})
	assert.Equal(t, `Coupon "ghost" does not exist!`, apiError(t, err).Message)

	list, _, err := c.Coupons.List(ctx, &woocommerce.CouponListOptions{Code: "LOYAL-10"})
	require.NoError(t, err)
	assert.Len(t, list, 1)
	_, _, err = c.Coupons.Delete(ctx, cp.ID, false)
	require.NoError(t, err)
	_, ok := srv.Coupon("loyal-10")
	assert.False(t, ok, "a trashed coupon is not usable")
	// A trashed coupon no longer holds its code.
	_, _, err = c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("loyal-10")})
	require.NoError(t, err)
}

func TestCouponExpiryAndPercent(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	yesterday := srv.Now().Add(-24 * 3600e9)
	_, _, err := c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("old"), Amount: woocommerce.Ptr(money("5")),
		DateExpires: woocommerce.ExpiresAt(yesterday)})
	require.NoError(t, err)
	_, _, err = c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("pct"), Amount: woocommerce.Ptr(money("15")),
		DiscountType: woocommerce.Ptr(woocommerce.DiscountPercent)})
	require.NoError(t, err)
	pid, _ := srv.AddProduct(woocommercetest.Product{Name: "P", RegularPrice: "19.99"})
	_, err = srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}, CouponCodes: []string{"old"}})
	assert.ErrorContains(t, err, "This coupon has expired.")
	id, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}, CouponCodes: []string{"PCT"}})
	require.NoError(t, err)
	o, _ := srv.Order(id)
	assert.Equal(t, "16.99", o.Total, "15% of 19.99 is 2.9985, rounded to 3.00")
	assert.Equal(t, "3.00", o.DiscountTotal)
	pct, _ := srv.Coupon("pct")
	assert.Equal(t, int64(1), pct.UsageCount, "a checkout order counts the use at once")
}

func TestCustomers(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	cu, _, err := c.Customers.Create(ctx, &woocommerce.CustomerRequest{Email: woocommerce.Ptr("Ann.Lee@Example.com"),
		FirstName: woocommerce.Ptr("Ann"), Password: woocommerce.Ptr("s3cret")})
	require.NoError(t, err)
	assert.Equal(t, "ann.lee@example.com", cu.Email)
	assert.Equal(t, "ann-lee", cu.Username)
	assert.Equal(t, "customer", cu.Role)
	assert.NotContains(t, string(mustGetRaw(t, srv, "customers/"+itoa(cu.ID))), "s3cret")

	_, _, err = c.Customers.Create(ctx, &woocommerce.CustomerRequest{Email: woocommerce.Ptr("ann.lee@example.com")})
	ae := apiError(t, err)
	assert.Equal(t, "registration-error-email-exists", ae.Code)
	assert.ErrorIs(t, err, woocommerce.ErrAlreadyExists)

	// The client refuses a customer without email before sending; the server would say this:
	resp, body := signedCall(t, srv, http.MethodPost, "customers", `{"first_name":"No email"}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.JSONEq(t, `{"code":"rest_missing_callback_param","message":"Missing parameter(s): email","data":{"status":400,"params":["email"]}}`, string(body))

	_, _, err = c.Customers.Create(ctx, &woocommerce.CustomerRequest{Email: woocommerce.Ptr("not-an-email")})
	ae = apiError(t, err)
	assert.Equal(t, "rest_invalid_param", ae.Code)
	assert.Equal(t, "Invalid email address.", ae.Data.Params["email"])

	bob, err := srv.AddCustomer(woocommercetest.Customer{Email: "bob@example.com", LastName: "Builder"})
	require.NoError(t, err)
	got, _, err := c.Customers.GetByEmail(ctx, "BOB@example.com")
	require.NoError(t, err)
	assert.Equal(t, bob, got.ID)

	list, _, err := c.Customers.List(ctx, &woocommerce.CustomerListOptions{Search: "builder"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, bob, list[0].ID)

	upd, _, err := c.Customers.Update(ctx, bob, &woocommerce.CustomerRequest{Billing: &woocommerce.Address{City: "Oslo"}})
	require.NoError(t, err)
	assert.Equal(t, "Oslo", upd.Billing.City)
	// Taking another customer's email is silently ignored, as in WooCommerce.
	upd, _, err = c.Customers.Update(ctx, bob, &woocommerce.CustomerRequest{Email: woocommerce.Ptr("ann.lee@example.com")})
	require.NoError(t, err)
	assert.Equal(t, "bob@example.com", upd.Email)

	_, _, err = c.Customers.Get(ctx, 9999)
	ae = apiError(t, err)
	assert.Equal(t, "woocommerce_rest_invalid_id", ae.Code)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)

	downloads, _, err := c.Customers.Downloads(ctx, bob)
	require.NoError(t, err)
	assert.Empty(t, downloads)

	_, _, err = c.Customers.Delete(ctx, bob, 0)
	require.NoError(t, err)
	_, ok := srv.Customer(bob)
	assert.False(t, ok)
}

func TestSystemStatus(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithCurrency("SEK"), woocommercetest.WithDecimals(0))
	st, _, err := c.SystemStatus.Get(ctxT(t))
	require.NoError(t, err)
	assert.Equal(t, "SEK", st.Settings.Currency)
	assert.Equal(t, 0, int(st.Settings.NumberOfDecimals))
	assert.Equal(t, srv.HomeURL(), st.Environment.HomeURL)
	assert.Regexp(t, `^10\.`, st.Environment.Version, "the fake is a WooCommerce 10 store")
	// A theme WordPress cannot look up has version_latest 0, a JSON number (issue 12, point 17).
	raw := string(mustGetRaw(t, srv, "system_status"))
	assert.Contains(t, raw, `"version_latest":0`)
	assert.Contains(t, raw, `"parent_version_latest":0`)
	assert.Equal(t, woocommerce.FlexString("0"), st.Theme.VersionLatest)
	assert.Equal(t, woocommerce.FlexString("0"), st.Theme.ParentVersionLatest)

	id, _ := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: mustProduct(t, srv), Total: "12.6"}}})
	o, _, err := c.Orders.Get(ctxT(t), id)
	require.NoError(t, err)
	assert.Equal(t, "SEK", o.Currency)
	assert.Contains(t, string(mustGetRaw(t, srv, "orders/"+itoa(id))), `"total":"13"`)
}

// WooCommerce keeps a price as sent, so the client sends the store's decimals: 8.50, not 8.5.
func TestPricesKeepStoreDecimals(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	p, _, err := c.Products.Create(ctxT(t), &woocommerce.ProductRequest{Name: woocommerce.Ptr("Mug"),
		RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(money("8.5")))})
	require.NoError(t, err)
	assert.Contains(t, string(mustGetRaw(t, srv, "products/"+itoa(p.ID))), `"regular_price":"8.50"`)
}
