package woocommerce

import (
	"bytes"
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Customer is a WooCommerce customer (GET /customers/{id}).
type Customer struct {
	ID               int64      `json:"id"`
	DateCreated      LocalTime  `json:"date_created"`
	DateCreatedGMT   UTCTime    `json:"date_created_gmt"`
	DateModified     LocalTime  `json:"date_modified"`
	DateModifiedGMT  UTCTime    `json:"date_modified_gmt"`
	Email            string     `json:"email"`
	FirstName        string     `json:"first_name"`
	LastName         string     `json:"last_name"`
	Role             string     `json:"role"`
	Username         string     `json:"username"`
	Billing          Address    `json:"billing"`
	Shipping         Address    `json:"shipping"`
	IsPayingCustomer bool       `json:"is_paying_customer"`
	AvatarURL        string     `json:"avatar_url"`
	MetaData         []MetaData `json:"meta_data"`
}

// CustomerRequest creates or updates a customer. Only the fields that are set are sent; Email is
// required on create.
type CustomerRequest struct {
	Email     *string `json:"email,omitempty"`
	FirstName *string `json:"first_name,omitempty"`
	LastName  *string `json:"last_name,omitempty"`
	Username  *string `json:"username,omitempty"`
	// Password is write-only; WooCommerce generates one when it is not set.
	Password *string    `json:"password,omitempty"`
	Billing  *Address   `json:"billing,omitempty"`
	Shipping *Address   `json:"shipping,omitempty"`
	MetaData []MetaData `json:"meta_data,omitempty"`
}

// CustomerListOptions filters GET /customers.
type CustomerListOptions struct {
	ListOptions
	Search  string  `url:"search,omitempty"`
	Include []int64 `url:"include,omitempty,comma"`
	Exclude []int64 `url:"exclude,omitempty,comma"`
	// Email matches the account email exactly.
	Email string `url:"email,omitempty"`
	// Role is customer (the server's default), all, or another WordPress role.
	Role string `url:"role,omitempty"`
}

// CustomerDownload is a file a customer may download (GET /customers/{id}/downloads).
type CustomerDownload struct {
	DownloadID         string       `json:"download_id"`
	DownloadURL        string       `json:"download_url"`
	ProductID          int64        `json:"product_id"`
	ProductName        string       `json:"product_name"`
	DownloadName       string       `json:"download_name"`
	OrderID            int64        `json:"order_id"`
	OrderKey           string       `json:"order_key"`
	DownloadsRemaining string       `json:"downloads_remaining"` // a number, or "unlimited"
	AccessExpires      string       `json:"access_expires"`      // site-local date, or "never"
	AccessExpiresGMT   Expiry       `json:"access_expires_gmt"`
	File               DownloadFile `json:"file"`
}

// Expiry is a UTC timestamp that may be "never".
type Expiry struct {
	Never bool
	At    UTCTime
}

// UnmarshalJSON decodes "never" or a UTC timestamp.
func (e *Expiry) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == `"never"` {
		*e = Expiry{Never: true}
		return nil
	}
	*e = Expiry{}
	return e.At.UnmarshalJSON(data)
}

// MarshalJSON encodes "never" or the timestamp.
func (e Expiry) MarshalJSON() ([]byte, error) {
	if e.Never {
		return []byte(`"never"`), nil
	}
	return e.At.MarshalJSON()
}

// DownloadFile names a downloadable file.
type DownloadFile struct {
	Name string `json:"name"`
	File string `json:"file"`
}

// CustomersService manages customers. Create it through NewClient.
type CustomersService service

func customerPath(id int64) string { return "customers/" + strconv.FormatInt(id, 10) }

// List returns one page of customers.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-customers
func (s *CustomersService) List(ctx context.Context, opts *CustomerListOptions) ([]Customer, *Response, error) {
	return list[Customer](ctx, s.client, "list customers", "customers", pagerOrNil(opts))
}

// All iterates over every customer matching opts. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-customers
func (s *CustomersService) All(ctx context.Context, opts *CustomerListOptions) iter.Seq2[Customer, error] {
	return all[Customer](ctx, s.client, "list customers", "customers", opts, func(x *Customer) int64 { return x.ID })
}

// Get returns the customer with this id.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-customer
func (s *CustomersService) Get(ctx context.Context, id int64) (*Customer, *Response, error) {
	return get[Customer](ctx, s.client, "get customer", customerPath(id))
}

// GetByEmail returns the registered customer with this email (any role), compared
// case-insensitively. It fails with ErrNotFound when there is none; guest buyers are not
// customers and are found through their orders instead.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-customers
func (s *CustomersService) GetByEmail(ctx context.Context, email string) (*Customer, *Response, error) {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") {
		return nil, nil, invalid("get customer by email", &ParamError{Param: "email", Value: email, Reason: "is not an email address"})
	}
	customers, resp, err := s.List(ctx, &CustomerListOptions{Email: email, Role: "all", ListOptions: ListOptions{PerPage: 10}})
	if err != nil {
		return nil, resp, err
	}
	for i := range customers {
		if strings.EqualFold(customers[i].Email, email) {
			return &customers[i], resp, nil
		}
	}
	return nil, resp, notFoundBy("get customer by email", "customer with email "+strconv.Quote(email))
}

// Create creates a customer. An email belongs to one account (WooCommerce refuses a second with
// registration-error-email-exists), so the request is retried after a network error or a 5xx: if
// the first attempt was applied, the repeat fails with ErrAlreadyExists and GetByEmail finds the
// customer.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-customer
func (s *CustomersService) Create(ctx context.Context, req *CustomerRequest) (*Customer, *Response, error) {
	if req == nil || req.Email == nil || strings.TrimSpace(*req.Email) == "" {
		return nil, nil, invalid("create customer", &ParamError{Param: "email", Reason: "is required to create a customer"})
	}
	return write[Customer](ctx, s.client, "create customer", call{method: http.MethodPost, path: "customers", body: req, retrySafe: true})
}

// Update changes the fields set in req. Repeating it has the same effect, so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-customer
func (s *CustomersService) Update(ctx context.Context, id int64, req *CustomerRequest) (*Customer, *Response, error) {
	return write[Customer](ctx, s.client, "update customer", call{method: http.MethodPut, path: customerPath(id), body: req, retrySafe: true})
}

// Delete deletes the customer permanently (customers cannot be trashed, so force=true is always
// sent). Reassign, if not 0, receives the customer's posts.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-customer
func (s *CustomersService) Delete(ctx context.Context, id int64, reassign int64) (*Customer, *Response, error) {
	q := url.Values{"force": {"true"}}
	if reassign != 0 {
		q.Set("reassign", strconv.FormatInt(reassign, 10))
	}
	return write[Customer](ctx, s.client, "delete customer", call{method: http.MethodDelete, path: customerPath(id), query: q, retrySafe: true})
}

// Batch creates, updates and deletes customers, in requests of at most 100 items.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-customers
func (s *CustomersService) Batch(ctx context.Context, b *Batch[CustomerRequest]) (*BatchResult[Customer], error) {
	return runBatch[Customer](ctx, s.client, "batch customers", "customers/batch", b)
}

// Downloads lists the files the customer may download (not paginated).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-customer-downloads
func (s *CustomersService) Downloads(ctx context.Context, id int64) ([]CustomerDownload, *Response, error) {
	var out []CustomerDownload
	resp, err := s.client.do(ctx, "list customer downloads", call{method: http.MethodGet, path: customerPath(id) + "/downloads"}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}
