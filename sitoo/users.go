package sitoo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// User is a person known to Sitoo: staff or customer. Users are common to all sites of an
// account; roles and access rights are per site.
type User struct {
	UserID           string   `json:"userid"` // a GUID such as "{102DC4AA-2C19-3177-6AB2-435CB3A46499}"
	Email            string   `json:"email"`  // unique
	NameFirst        string   `json:"namefirst"`
	NameLast         string   `json:"namelast"`
	PersonalID       string   `json:"personalid"`
	ExternalID       string   `json:"externalid"`
	Company          string   `json:"company"`
	Department       string   `json:"department"`
	CompanyID        string   `json:"companyid"`
	Address          string   `json:"address"`
	Address2         string   `json:"address2"`
	Zip              string   `json:"zip"`
	City             string   `json:"city"`
	State            string   `json:"state"`
	CountryID        string   `json:"countryid"`
	Phone            string   `json:"phone"`
	Mobile           string   `json:"mobile"`
	Notes            string   `json:"notes"`
	CustomerNumber   string   `json:"customernumber"`
	DateCreated      UnixTime `json:"datecreated"`
	DateModified     UnixTime `json:"datemodified"`
	VoucherPasswords []string `json:"voucherpasswords"`
	Role             *int     `json:"role"`
	Warehouses       []string `json:"warehouses"`
	POSRefundCard    bool     `json:"posrefundcard"`
}

// UserRequest is the body of a user add or (partial) update. Email is required when adding;
// UserID is required in BatchUpdate and must be empty otherwise.
type UserRequest struct {
	UserID           string   `json:"userid,omitzero"`
	Email            *string  `json:"email,omitempty"`
	NameFirst        *string  `json:"namefirst,omitempty"`
	NameLast         *string  `json:"namelast,omitempty"`
	PersonalID       *string  `json:"personalid,omitempty"`
	ExternalID       *string  `json:"externalid,omitempty"`
	Company          *string  `json:"company,omitempty"`
	Department       *string  `json:"department,omitempty"`
	CompanyID        *string  `json:"companyid,omitempty"`
	Address          *string  `json:"address,omitempty"`
	Address2         *string  `json:"address2,omitempty"`
	Zip              *string  `json:"zip,omitempty"`
	City             *string  `json:"city,omitempty"`
	State            *string  `json:"state,omitempty"`
	CountryID        *string  `json:"countryid,omitempty"`
	Phone            *string  `json:"phone,omitempty"`
	Mobile           *string  `json:"mobile,omitempty"`
	Notes            *string  `json:"notes,omitempty"`
	PIN              *string  `json:"pin,omitempty"` // write-only, 4 or 6 digits, unique
	CustomerNumber   *string  `json:"customernumber,omitempty"`
	VoucherPasswords []string `json:"voucherpasswords,omitzero"`
	Role             *int     `json:"role,omitempty"`
	Warehouses       []string `json:"warehouses,omitzero"`
	POSRefundCard    *bool    `json:"posrefundcard,omitempty"`
}

// UserListOptions filters a user list.
type UserListOptions struct {
	ListOptions
	Email          string `url:"email,omitempty"`
	CustomerNumber string `url:"customernumber,omitempty"`
	PersonalID     string `url:"personalid,omitempty"`
	Mobile         string `url:"mobile,omitempty"`
}

// UsersService manages /sites/{site}/users. Get it from Site.Users.
type UsersService service

// Get returns one user.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users#get-user
func (s *UsersService) Get(ctx context.Context, userID string) (*User, *Response, error) {
	return getOne[User](ctx, s.c, fmt.Sprintf("get user %s", userID), sitePath(s.site, "users", userID))
}

// List returns one page of users.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users#get-users
func (s *UsersService) List(ctx context.Context, opts *UserListOptions) ([]User, *Response, error) {
	items, resp, err := listOne[User](ctx, s.c, sitePath(s.site, "users"), opts)
	return items, resp, wrapErr("list users", err)
}

// All iterates over every user matching opts.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users#get-users
func (s *UsersService) All(ctx context.Context, opts *UserListOptions) iter.Seq2[User, error] {
	return wrapSeq(listAll[User](ctx, s.c, sitePath(s.site, "users"), opts), "list users")
}

// Create adds one user and returns its userid.
// Sitoo adds users only in batches: Create sends a batch of one.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users
func (s *UsersService) Create(ctx context.Context, u *UserRequest) (string, *Response, error) {
	if u == nil || u.Email == nil || *u.Email == "" {
		return "", nil, wrapErr("create user", invalidArg("email is required"))
	}
	rs, resp, err := sendBatch(ctx, s.c, "create user", http.MethodPost, sitePath(s.site, "users"), []UserRequest{*u}, 0, false)
	if err != nil {
		return "", resp, err
	}
	if err := rs.Err(); err != nil {
		return "", resp, wrapErr("create user", err)
	}
	id, ok := rs[0].ReturnString()
	if !ok {
		return "", resp, wrapErr("create user", s.c.decodeError(resp, fmt.Errorf("expected a userid string, got %s", cut(rs[0].Return))))
	}
	return id, resp, nil
}

// BatchCreate adds users; read each new userid with BatchResult.ReturnString.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users
func (s *UsersService) BatchCreate(ctx context.Context, users []UserRequest) (BatchResults, *Response, error) {
	for i := range users {
		if users[i].Email == nil || *users[i].Email == "" {
			return nil, nil, fmt.Errorf("sitoo: create users: item %d: %w", i, invalidArg("email is required"))
		}
	}
	return sendBatch(ctx, s.c, "create users", http.MethodPost, sitePath(s.site, "users"), users, 0, false)
}

// Update changes the fields set in u.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users#update-user
func (s *UsersService) Update(ctx context.Context, userID string, u *UserRequest) (*Response, error) {
	return s.c.update(ctx, "update user "+userID, sitePath(s.site, "users", userID), u)
}

// BatchUpdate updates users partially; each must carry its UserID.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users#batch-update-users
func (s *UsersService) BatchUpdate(ctx context.Context, users []UserRequest) (BatchResults, *Response, error) {
	for i := range users {
		if users[i].UserID == "" {
			return nil, nil, fmt.Errorf("sitoo: batch update users: item %d: %w", i, invalidArg("UserID is required"))
		}
	}
	return sendBatch(ctx, s.c, "batch update users", http.MethodPut, sitePath(s.site, "users"), users, 0, true)
}

// Delete removes a user.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/users#delete-user
func (s *UsersService) Delete(ctx context.Context, userID string) (*Response, error) {
	return s.c.remove(ctx, "delete user "+userID, sitePath(s.site, "users", userID))
}
