package woocommercetest

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type customer struct {
	id                  int64
	created, modified   time.Time
	email               string
	firstName, lastName string
	role                string
	username            string
	password            string
	billing, shipping   address
	isPaying            bool
	meta                []meta
}

func (cu *customer) sortKey() sortKey {
	return sortKey{id: cu.id, created: cu.created, modified: cu.modified, title: cu.displayName(), slug: cu.username}
}

func (cu *customer) displayName() string {
	if n := strings.TrimSpace(cu.firstName + " " + cu.lastName); n != "" {
		return n
	}
	return cu.username
}

func customerFields() []field {
	return []field{
		str("email").withFormat("email"), str("first_name"), str("last_name"), str("username"), str("password"),
		addressField("billing", true), addressField("shipping", false), metaField(),
	}
}

func (s *Server) customerHandlers() handlers {
	return handlers{
		listSpec: listSpec{
			orderby: []string{"id", "include", "name", "registered_date"}, defOrderby: "name", defOrder: "asc", noDates: true,
			extra: []field{str("email").withFormat("email"),
				enum("role", "all", "administrator", "editor", "author", "contributor", "subscriber", "customer", "shop_manager")},
		},
		fields: customerFields(), required: []string{"email"},
		list: s.listCustomers, create: s.createCustomer, get: s.getCustomer, update: s.updateCustomer, del: s.deleteCustomer,
	}
}

func errCustomerID(status int) *wpError {
	return newError(status, "woocommerce_rest_invalid_id", "Invalid resource ID.")
}

type customerInput struct {
	Email     *string           `json:"email"`
	FirstName *string           `json:"first_name"`
	LastName  *string           `json:"last_name"`
	Username  *string           `json:"username"`
	Password  *string           `json:"password"`
	Billing   map[string]string `json:"billing"`
	Shipping  map[string]string `json:"shipping"`
	MetaData  []metaInput       `json:"meta_data"`
}

func (st *state) customerByEmail(email string) *customer {
	for _, cu := range sortedValues(st.customers) {
		if strings.EqualFold(cu.email, email) {
			return cu
		}
	}
	return nil
}

func (st *state) usernameTaken(name string, except int64) bool {
	for _, cu := range st.customers {
		if cu.id != except && strings.EqualFold(cu.username, name) {
			return true
		}
	}
	return strings.EqualFold(name, "admin")
}

// applyCustomer sets the properties present in in; creating runs wc_create_new_customer's checks.
func (s *Server) applyCustomer(cu *customer, in *customerInput, creating bool, ev *events) *wpError {
	if in.Email != nil {
		email := strings.ToLower(strings.TrimSpace(*in.Email))
		if !isEmail(email) {
			return newError(400, "registration-error-invalid-email", "Please provide a valid email address.")
		}
		switch other := s.st.customerByEmail(email); {
		case other != nil && other.id != cu.id && creating:
			return newError(400, "registration-error-email-exists",
				`An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>`)
		case other != nil && other.id != cu.id:
			// wp_update_user refuses the address, and WooCommerce ignores its error: the update
			// answers 200 and the email stays as it was.
		default:
			cu.email = email
		}
	}
	if in.Username != nil && strings.TrimSpace(*in.Username) != "" {
		name := strings.TrimSpace(*in.Username)
		if !creating {
			return newError(400, "woocommerce_rest_customer_invalid_argument", "Username isn't editable.")
		}
		if s.st.usernameTaken(name, cu.id) {
			return newError(400, "registration-error-username-exists", "An account is already registered with that username. Please choose another.")
		}
		cu.username = name
	}
	if creating && cu.username == "" {
		base := sanitizeTitle(strings.SplitN(cu.email, "@", 2)[0])
		if base == "" {
			base = "customer"
		}
		cu.username = uniqueSlug(base, func(x string) bool { return s.st.usernameTaken(x, cu.id) })
	}
	if in.Password != nil {
		cu.password = *in.Password
	}
	if in.FirstName != nil {
		cu.firstName = *in.FirstName
	}
	if in.LastName != nil {
		cu.lastName = *in.LastName
	}
	cu.billing.apply(in.Billing)
	cu.shipping.apply(in.Shipping)
	cu.shipping.Email = ""
	cu.meta = s.st.updateMeta(cu.meta, in.MetaData)
	if !creating {
		cu.modified = s.now()
	}
	s.st.customers[cu.id] = cu
	verb := "updated"
	if creating {
		verb = "created"
	}
	ev.add("customer", verb, cu.id)
	return nil
}

func (s *Server) listCustomers(c *call) (int, any, *wpError) {
	q := c.list
	role := "customer"
	if q.has("role") {
		role = q.str("role")
	}
	var items []*customer
	for _, cu := range sortedValues(s.st.customers) {
		if role != "all" && cu.role != role {
			continue
		}
		if q.has("email") && !strings.EqualFold(cu.email, q.str("email")) {
			continue
		}
		if t := strings.Trim(q.search, "*"); t != "" && !containsFold(cu.email, t) && !containsFold(cu.username, t) &&
			!containsFold(cu.displayName(), t) {
			continue
		}
		if !q.keep(cu.sortKey()) {
			continue
		}
		items = append(items, cu)
	}
	sortItems(q, items, (*customer).sortKey)
	out := []any{}
	for _, cu := range page(c, items) {
		out = append(out, s.renderCustomer(c.tls, cu))
	}
	return http.StatusOK, out, nil
}

func (s *Server) getCustomer(c *call) (int, any, *wpError) {
	cu := s.st.customers[c.idArg()]
	if cu == nil {
		return 0, nil, errCustomerID(404)
	}
	return http.StatusOK, s.renderCustomer(c.tls, cu), nil
}

func (s *Server) createCustomer(c *call) (int, any, *wpError) {
	if c.rawID() {
		return 0, nil, newError(400, "woocommerce_rest_customer_exists", "Cannot create existing resource.")
	}
	var in customerInput
	_ = decodeInto(c.in, &in)
	now := s.now()
	cu := &customer{id: s.st.nextUser, role: "customer", created: now, modified: now}
	if err := s.applyCustomer(cu, &in, true, c.events); err != nil {
		return 0, nil, err
	}
	s.st.newUser()
	return c.created("customers/"+strconv.FormatInt(cu.id, 10), s.renderCustomer(c.tls, cu))
}

func (s *Server) updateCustomer(c *call) (int, any, *wpError) {
	cu := s.st.customers[c.idArg()]
	if cu == nil {
		return 0, nil, errCustomerID(400)
	}
	var in customerInput
	_ = decodeInto(c.in, &in)
	if in.Username != nil && *in.Username == cu.username {
		in.Username = nil
	}
	cp := *cu
	if err := s.applyCustomer(&cp, &in, false, c.events); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderCustomer(c.tls, &cp), nil
}

func (s *Server) deleteCustomer(c *call) (int, any, *wpError) {
	cu := s.st.customers[c.idArg()]
	if cu == nil {
		return 0, nil, errCustomerID(404)
	}
	if !c.force {
		return 0, nil, newError(501, "woocommerce_rest_trash_not_supported", "Customers do not support trashing.")
	}
	body := s.renderCustomer(c.tls, cu)
	delete(s.st.customers, cu.id)
	c.events.add("customer", "deleted", cu.id)
	return http.StatusOK, body, nil
}

type customerJSON struct {
	ID               int64       `json:"id"`
	DateCreated      *string     `json:"date_created"`
	DateCreatedGMT   *string     `json:"date_created_gmt"`
	DateModified     *string     `json:"date_modified"`
	DateModifiedGMT  *string     `json:"date_modified_gmt"`
	Email            string      `json:"email"`
	FirstName        string      `json:"first_name"`
	LastName         string      `json:"last_name"`
	Role             string      `json:"role"`
	Username         string      `json:"username"`
	Billing          billingJSON `json:"billing"`
	Shipping         address     `json:"shipping"`
	IsPayingCustomer bool        `json:"is_paying_customer"`
	AvatarURL        string      `json:"avatar_url"`
	MetaData         []meta      `json:"meta_data"`
	Links            links       `json:"_links"`
}

func (s *Server) renderCustomer(tls bool, cu *customer) customerJSON {
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(cu.email))))
	id := strconv.FormatInt(cu.id, 10)
	return customerJSON{
		ID: cu.id, DateCreated: s.localDate(cu.created), DateCreatedGMT: gmtDate(cu.created),
		DateModified: s.localDate(cu.modified), DateModifiedGMT: gmtDate(cu.modified), Email: cu.email,
		FirstName: cu.firstName, LastName: cu.lastName, Role: cu.role, Username: cu.username,
		Billing: billingJSON{address: cu.billing, Email: cu.billing.Email}, Shipping: cu.shipping,
		IsPayingCustomer: cu.isPaying, AvatarURL: "https://secure.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?s=96&d=mm&r=g",
		MetaData: metaOut(cu.meta), Links: s.links(tls, "customers/"+id, "customers"),
	}
}

// customerDownloads answers GET /customers/{id}/downloads: the fake sells no downloads.
func (s *Server) customerDownloads(c *call) (int, any, *wpError) {
	if s.st.customers[c.ids[0]] == nil {
		return 0, nil, errCustomerID(404)
	}
	return http.StatusOK, []any{}, nil
}
