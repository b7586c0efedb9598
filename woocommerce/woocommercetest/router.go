package woocommercetest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Actions of an endpoint, for the permission callback's error.
const (
	actionList   = "list"
	actionView   = "view"
	actionCreate = "create"
	actionEdit   = "edit"
	actionDelete = "delete"
	actionBatch  = "batch"
)

// call is one REST request on its way through the fake.
type call struct {
	s      *Server
	method string // after _method / X-HTTP-Method-Override
	tls    bool
	route  string                     // the matched route pattern, e.g. "orders/#/refunds"
	ids    []int64                    // the numeric path segments, in order
	query  *phpArray                  // $_GET
	body   map[string]json.RawMessage // JSON body (or form body) properties, query ones as fallback
	header http.Header                // response headers to send
	events *events                    // webhook events of this request
	after  *[]func()                  // work to do after the state lock is released (webhook pings)
	jobs   []job                      // deliveries the request queued

	list  *listQuery                 // validated collection arguments
	in    map[string]json.RawMessage // validated body properties
	force bool                       // DELETE's force argument
}

// endpoint is one method of a route. args validates the request's arguments (and stores them in
// the call); it runs before the permission check, as in WordPress. run does the work. When exists
// is set, the permission check only runs for an object that exists: WooCommerce's item permission
// callbacks look the object up first and let a missing one through, so the handler answers 404 (or
// 400 on update) even to an anonymous caller.
type endpoint struct {
	action string
	args   func(c *call) *wpError
	run    func(c *call) (int, any, *wpError)
	exists func(c *call) bool
}

// handlers are the endpoints of a CRUD resource.
type handlers struct {
	listSpec                       listSpec
	fields                         []field
	required                       []string
	list, create, get, update, del func(c *call) (int, any, *wpError)
	exists                         func(c *call) bool // see endpoint.exists
}

type route struct {
	segs    []string // literal segments, "#" for an integer id
	methods map[string]*endpoint
}

// editable registers POST, PUT and PATCH, as WP_REST_Server::EDITABLE does.
func editable(e *endpoint) map[string]*endpoint {
	return map[string]*endpoint{http.MethodPost: e, http.MethodPut: e, http.MethodPatch: e}
}

func (s *Server) routes() []route {
	var r []route
	add := func(pattern string, methods map[string]*endpoint) {
		r = append(r, route{segs: strings.Split(pattern, "/"), methods: methods})
	}
	crud := func(base string, h handlers) {
		add(base, map[string]*endpoint{
			http.MethodGet:  {action: actionList, args: listArgs(h.listSpec), run: h.list},
			http.MethodPost: {action: actionCreate, args: writeArgs(h.fields, h.required), run: h.create},
		})
		add(base+"/batch", editable(&endpoint{action: actionBatch, args: batchArgs, run: func(c *call) (int, any, *wpError) {
			return s.runBatch(c, h)
		}}))
		item := editable(&endpoint{action: actionEdit, args: writeArgs(h.fields, nil), run: h.update, exists: h.exists})
		item[http.MethodGet] = &endpoint{action: actionView, run: h.get, exists: h.exists}
		item[http.MethodDelete] = &endpoint{action: actionDelete, args: deleteArgs(false), run: h.del, exists: h.exists}
		add(base+"/#", item)
	}
	crud("orders", s.orderHandlers())
	add("orders/#/refunds", map[string]*endpoint{
		http.MethodGet:  {action: actionList, args: listArgs(refundListSpec()), run: s.listRefunds},
		http.MethodPost: {action: actionCreate, args: writeArgs(refundFields(), nil), run: s.createRefund},
	})
	refundExists := func(c *call) bool { return s.st.refunds[c.ids[1]] != nil }
	add("orders/#/refunds/#", map[string]*endpoint{
		http.MethodGet:    {action: actionView, run: s.getRefund, exists: refundExists},
		http.MethodDelete: {action: actionDelete, args: deleteArgs(true), run: s.deleteRefund, exists: refundExists},
	})
	// The notes controller checks permissions against the order, and only when it exists.
	orderExists := func(c *call) bool { return s.st.orders[c.ids[0]] != nil }
	add("orders/#/notes", map[string]*endpoint{
		http.MethodGet:  {action: actionList, args: noteListArgs, run: s.listNotes, exists: orderExists},
		http.MethodPost: {action: actionCreate, args: writeArgs(noteFields(), []string{"note"}), run: s.createNote, exists: orderExists},
	})
	add("orders/#/notes/#", map[string]*endpoint{
		http.MethodGet:    {action: actionView, run: s.getNote, exists: orderExists},
		http.MethodDelete: {action: actionDelete, args: deleteArgs(false), run: s.deleteNote, exists: orderExists},
	})
	add("refunds", map[string]*endpoint{http.MethodGet: {action: actionList, args: listArgs(refundListSpec()), run: s.listAllRefunds}})
	crud("products/categories", s.categoryHandlers())
	crud("products/#/variations", s.variationHandlers())
	crud("products", s.productHandlers())
	crud("coupons", s.couponHandlers())
	crud("customers", s.customerHandlers())
	crud("webhooks", s.webhookHandlers())
	add("customers/#/downloads", map[string]*endpoint{http.MethodGet: {action: actionList, run: s.customerDownloads}})
	add("system_status", map[string]*endpoint{http.MethodGet: {action: actionList, run: s.getSystemStatus}})
	add("taxes", map[string]*endpoint{http.MethodGet: {action: actionList, run: s.listTaxes}})
	add("settings/tax/woocommerce_prices_include_tax", map[string]*endpoint{http.MethodGet: {action: actionView, run: s.getPricesIncludeTax}})
	return r
}

// match finds the route for path segments; ids receives the numeric segments.
func match(routes []route, segs []string) (*route, []int64) {
	for i := range routes {
		rt := &routes[i]
		if len(rt.segs) != len(segs) {
			continue
		}
		var ids []int64
		ok := true
		for j, want := range rt.segs {
			if want == "#" {
				n, err := strconv.ParseInt(segs[j], 10, 64)
				if err != nil || n < 0 || !allDigits(segs[j]) {
					ok = false
					break
				}
				ids = append(ids, n)
				continue
			}
			if want != segs[j] {
				ok = false
				break
			}
		}
		if ok {
			return rt, ids
		}
	}
	return nil, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// maxBody bounds a request body.
const maxBody = 8 << 20

// serve is the HTTP entry point: WordPress's REST server, WooCommerce's authentication, then the
// route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	prefix := s.homePath + "/wp-json/"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<!doctype html><title>Page not found</title><h1>Not found</h1>")
		return
	}
	routePath := strings.Trim(strings.TrimPrefix(r.URL.Path, prefix), "/")
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return
	}
	if len(raw) > maxBody {
		writeError(w, newError(413, "rest_request_too_large", "Request body too large."))
		return
	}
	get := parseStr(r.URL.RawQuery)
	post := newPHPArray()
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method == http.MethodPost && ct == "application/x-www-form-urlencoded" {
		post = parseStr(string(raw))
	}
	c := &call{s: s, method: r.Method, tls: r.TLS != nil, query: get, header: w.Header()}
	// WP_REST_Server::serve_request announces the API root on every response; a paginated
	// response replaces it with its prev/next links.
	w.Header().Set("Link", "<"+s.homeFor(c.tls)+"/wp-json/>; rel=\"https://api.w.org/\"")
	// WP_REST_Server honours ?_method= and X-HTTP-Method-Override on any request; the signature
	// still covers the real method.
	if m, ok := get.str("_method"); ok && m != "" {
		c.method = strings.ToUpper(m)
	} else if m := r.Header.Get("X-HTTP-Method-Override"); m != "" {
		c.method = strings.ToUpper(m)
	}

	// Only WooCommerce's namespaces are authenticated by API keys.
	var key *apiKey
	if strings.HasPrefix(routePath, "wc/") || strings.HasPrefix(routePath, "wc-") {
		k, aerr := s.authenticate(r, get, post)
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		key = k
		if key != nil {
			if perr := checkKeyPermissions(key, c.method); perr != nil {
				writeError(w, perr)
				return
			}
		}
	}
	const ns = "wc/v3/"
	if !strings.HasPrefix(routePath, ns) {
		writeError(w, errNoRoute())
		return
	}
	segs := strings.Split(strings.TrimPrefix(routePath, ns), "/")
	rt, ids := match(s.router, segs)
	if rt == nil {
		writeError(w, errNoRoute())
		return
	}
	method := c.method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	ep := rt.methods[method]
	if ep == nil {
		writeError(w, errNoRoute())
		return
	}
	c.route, c.ids = strings.Join(rt.segs, "/"), ids
	if jerr := c.parseBody(ct, raw, post); jerr != nil {
		writeError(w, jerr)
		return
	}
	c.events, c.after = &events{}, &[]func(){}
	status, body, herr := s.runEndpoint(c, ep, key)
	s.finish(w, c, status, body, herr)
}

// runEndpoint validates the arguments, checks the permission callback (401 when anonymous, 403 for
// a key whose user lacks the capability) and runs the endpoint, all under the state lock.
func (s *Server) runEndpoint(c *call, ep *endpoint, key *apiKey) (int, any, *wpError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ep.args != nil {
		if err := ep.args(c); err != nil {
			return 0, nil, err
		}
	}
	if (key == nil || !key.Privileged) && (ep.exists == nil || ep.exists(c)) {
		return 0, nil, errPermission(ep.action, key != nil)
	}
	status, body, err := ep.run(c)
	c.jobs = s.jobsFor(c.events)
	return status, body, err
}

// finish writes the response and hands the request's webhook events to the dispatcher.
func (s *Server) finish(w http.ResponseWriter, c *call, status int, body any, err *wpError) {
	for _, f := range *c.after {
		f()
	}
	s.hooks.enqueue(c.jobs)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, status, body)
}

// parseBody reads the JSON body (or a form body) into c.body, with query parameters as fallback
// values, like WP_REST_Request::get_param.
func (c *call) parseBody(ct string, raw []byte, post *phpArray) *wpError {
	c.body = map[string]json.RawMessage{}
	for _, k := range c.query.keys {
		c.body[k] = phpToJSON(c.query.vals[k])
	}
	for _, k := range post.keys {
		c.body[k] = phpToJSON(post.vals[k])
	}
	if ct != "application/json" && !strings.HasSuffix(ct, "+json") {
		return nil
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		e := newError(400, "rest_invalid_json", "Invalid JSON body passed.")
		e.Data["json_error_code"] = 4
		e.Data["json_error_message"] = "Syntax error"
		return e
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for k, v := range obj {
			c.body[k] = v
		}
	}
	return nil
}

// phpToJSON renders a request parameter as JSON: strings stay strings, PHP arrays with 0..n-1 keys
// become JSON arrays and other arrays JSON objects.
func phpToJSON(v *phpValue) json.RawMessage {
	if v.arr == nil {
		b, _ := json.Marshal(v.str)
		return b
	}
	list := true
	for i, k := range v.arr.keys {
		if k != strconv.Itoa(i) {
			list = false
			break
		}
	}
	var buf bytes.Buffer
	if list {
		buf.WriteByte('[')
	} else {
		buf.WriteByte('{')
	}
	for i, k := range v.arr.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if !list {
			kb, _ := json.Marshal(k)
			buf.Write(kb)
			buf.WriteByte(':')
		}
		buf.Write(phpToJSON(v.arr.vals[k]))
	}
	if list {
		buf.WriteByte(']')
	} else {
		buf.WriteByte('}')
	}
	return buf.Bytes()
}
