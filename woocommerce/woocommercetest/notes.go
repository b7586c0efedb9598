package woocommercetest

import (
	"net/http"
	"strconv"
	"time"
)

// note is an order note (a WordPress comment of type order_note).
type note struct {
	id, orderID  int64
	created      time.Time
	text         string
	customerNote bool
	author       string
}

func noteFields() []field {
	return []field{str("note"), boolean("customer_note"), boolean("added_by_user")}
}

// noteListArgs validates GET /orders/{id}/notes: only type (any, customer, internal), no paging.
func noteListArgs(c *call) *wpError {
	pe := &paramErrors{}
	c.in = validateBody(c.body, []field{enum("type", "any", "customer", "internal")}, pe)
	return pe.err()
}

// addNote adds an order note; system notes have the author "WooCommerce".
func (s *Server) addNote(o *order, text string, customerNote bool, author string) *note {
	n := &note{id: s.st.newComment(), orderID: o.id, created: s.now(), text: text, customerNote: customerNote, author: author}
	s.st.notes[n.id] = n
	return n
}

func (s *Server) listNotes(c *call) (int, any, *wpError) {
	o := s.st.orders[c.ids[0]]
	if o == nil {
		return 0, nil, newError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
	}
	typ := "any"
	if v, ok := c.in["type"]; ok {
		typ = string(v[1 : len(v)-1])
	}
	out := []any{}
	notes := sortedValues(s.st.notes)
	for i := len(notes) - 1; i >= 0; i-- { // newest first
		n := notes[i]
		if n.orderID != o.id || (typ == "customer" && !n.customerNote) || (typ == "internal" && n.customerNote) {
			continue
		}
		out = append(out, s.renderNote(c.tls, n))
	}
	return http.StatusOK, out, nil
}

func (s *Server) createNote(c *call) (int, any, *wpError) {
	o := s.st.orders[c.ids[0]]
	if o == nil {
		return 0, nil, newError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
	}
	var in struct {
		Note         string `json:"note"`
		CustomerNote bool   `json:"customer_note"`
		AddedByUser  bool   `json:"added_by_user"`
	}
	_ = decodeInto(c.in, &in)
	author := "WooCommerce"
	if in.AddedByUser {
		author = "admin"
	}
	n := s.addNote(o, in.Note, in.CustomerNote, author)
	return c.created(c.routePath()+"/"+strconv.FormatInt(n.id, 10), s.renderNote(c.tls, n))
}

func (s *Server) findNote(c *call) (*note, *wpError) {
	o := s.st.orders[c.ids[0]]
	if o == nil {
		return nil, newError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
	}
	n := s.st.notes[c.ids[1]]
	if n == nil || n.orderID != o.id {
		return nil, newError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
	}
	return n, nil
}

func (s *Server) getNote(c *call) (int, any, *wpError) {
	n, err := s.findNote(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderNote(c.tls, n), nil
}

func (s *Server) deleteNote(c *call) (int, any, *wpError) {
	n, err := s.findNote(c)
	if err != nil {
		return 0, nil, err
	}
	if !c.force {
		// The order notes controller really says "Webhooks" here.
		return 0, nil, newError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
	}
	body := s.renderNote(c.tls, n)
	delete(s.st.notes, n.id)
	return http.StatusOK, body, nil
}

type noteJSON struct {
	ID             int64   `json:"id"`
	Author         string  `json:"author"`
	DateCreated    *string `json:"date_created"`
	DateCreatedGMT *string `json:"date_created_gmt"`
	Note           string  `json:"note"`
	CustomerNote   bool    `json:"customer_note"`
	Links          links   `json:"_links"`
}

func (s *Server) renderNote(tls bool, n *note) noteJSON {
	base := "orders/" + strconv.FormatInt(n.orderID, 10)
	return noteJSON{ID: n.id, Author: n.author, DateCreated: s.localDate(n.created), DateCreatedGMT: gmtDate(n.created),
		Note: n.text, CustomerNote: n.customerNote,
		Links: s.links(tls, base+"/notes/"+strconv.FormatInt(n.id, 10), base+"/notes", "up", base)}
}
