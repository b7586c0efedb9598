package woocommercetest

import (
	"encoding/json"
	"net/http"
)

// writeArgs validates a create or update body against the writable schema: missing required
// properties first (rest_missing_callback_param), then types and enums (rest_invalid_param).
func writeArgs(fields []field, required []string) func(c *call) *wpError {
	return func(c *call) *wpError {
		pe := &paramErrors{}
		for _, r := range required {
			if _, ok := c.body[r]; !ok {
				pe.require(r)
			}
		}
		if err := pe.err(); err != nil {
			return err
		}
		c.in = validateBody(c.body, fields, pe)
		return pe.err()
	}
}

// deleteArgs validates DELETE's force argument; defaultForce is true for resources whose route
// declares force with default true (refunds).
func deleteArgs(defaultForce bool) func(c *call) *wpError {
	return func(c *call) *wpError {
		pe := &paramErrors{}
		in := validateBody(c.body, []field{boolean("force")}, pe)
		if err := pe.err(); err != nil {
			return err
		}
		c.force = defaultForce
		if v, ok := in["force"]; ok {
			c.force = string(v) == "true"
		}
		return nil
	}
}

func batchArgs(c *call) *wpError {
	pe := &paramErrors{}
	c.in = validateBody(c.body, []field{
		arrayOf("create", field{kind: kObject}), arrayOf("update", field{kind: kObject}), idList("delete"),
	}, pe)
	return pe.err()
}

// sub returns a call for one batch item, sharing the request's events so a resource touched twice
// is delivered once, as WC_Webhook::is_already_processed does within a request.
func (c *call) sub(body map[string]json.RawMessage, ids []int64) *call {
	if body == nil {
		body = map[string]json.RawMessage{}
	}
	return &call{s: c.s, method: c.method, tls: c.tls, route: c.route, ids: ids, query: newPHPArray(),
		body: body, header: http.Header{}, events: c.events, after: c.after}
}

// batchItemError is how batch_items reports a failed item in place.
func batchItemError(id int64, e *wpError) map[string]any {
	return map[string]any{"id": id, "error": map[string]any{"code": e.Code, "message": e.Message, "data": e.Data}}
}

// runBatch is WC_REST_Controller::batch_items: up to the batch limit of creates, updates and
// deletes (forced), each answered in place, failed ones as {"id","error"}, all in a 200.
func (s *Server) runBatch(c *call, h handlers) (int, any, *wpError) {
	var in struct {
		Create []map[string]json.RawMessage `json:"create"`
		Update []map[string]json.RawMessage `json:"update"`
		Delete []int64                      `json:"delete"`
	}
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_param", "Invalid parameter(s): create, update, delete")
	}
	if n := len(in.Create) + len(in.Update) + len(in.Delete); n > s.cfg.maxBatch {
		return 0, nil, newError(413, "woocommerce_rest_request_entity_too_large",
			"Unable to accept more than %d items for this request.", s.cfg.maxBatch)
	}
	resp := map[string][]any{}
	for _, item := range in.Create {
		sub := c.sub(item, c.ids)
		resp["create"] = append(resp["create"], s.batchItem(sub, 0, writeArgs(h.fields, h.required), h.create))
	}
	for _, item := range in.Update {
		id, _ := jsonInteger(item["id"])
		sub := c.sub(item, append(append([]int64{}, c.ids...), id))
		resp["update"] = append(resp["update"], s.batchItem(sub, id, writeArgs(h.fields, nil), h.update))
	}
	for _, id := range in.Delete {
		if id == 0 {
			continue
		}
		sub := c.sub(nil, append(append([]int64{}, c.ids...), id))
		sub.force = true
		resp["delete"] = append(resp["delete"], s.batchItem(sub, id, nil, h.del))
	}
	if len(resp) == 0 {
		return http.StatusOK, []any{}, nil // PHP's empty array encodes as []
	}
	return http.StatusOK, resp, nil
}

func (s *Server) batchItem(sub *call, id int64, args func(*call) *wpError, run func(*call) (int, any, *wpError)) any {
	if args != nil {
		if err := args(sub); err != nil {
			return batchItemError(id, err)
		}
	}
	_, body, err := run(sub)
	if err != nil {
		return batchItemError(id, err)
	}
	return body
}

// idArg returns the id of the item route ("…/#").
func (c *call) idArg() int64 { return c.ids[len(c.ids)-1] }

// created answers 201 with a Location header, as create_item does.
func (c *call) created(path string, body any) (int, any, *wpError) {
	c.header.Set("Location", c.s.restURL(c.tls, path))
	return http.StatusCreated, body, nil
}

// rawID reports whether a create request tries to pass an id (create_item refuses that).
func (c *call) rawID() bool {
	v, ok := c.body["id"]
	if !ok {
		return false
	}
	n, isInt := jsonInteger(v)
	return !isInt || n != 0
}

// dp is the dp argument (absint), or the store's decimals.
func (c *call) dp() int {
	if v, ok := c.body["dp"]; ok {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		n := phpIntval(s)
		return int(max(n, -n))
	}
	return c.s.cfg.decimals
}

// later runs f after the state lock is released, before the response is written.
func (c *call) later(f func()) {
	if c.after != nil {
		*c.after = append(*c.after, f)
	}
}
