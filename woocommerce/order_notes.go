package woocommerce

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// OrderNote is a note on an order (GET /orders/{id}/notes/{note_id}).
type OrderNote struct {
	ID             int64     `json:"id"`
	Author         string    `json:"author"`
	DateCreated    LocalTime `json:"date_created"`
	DateCreatedGMT UTCTime   `json:"date_created_gmt"`
	Note           string    `json:"note"`
	// CustomerNote is true for a note shown to (and emailed to) the customer.
	CustomerNote bool `json:"customer_note"`
}

// OrderNoteRequest creates an order note.
type OrderNoteRequest struct {
	Note string `json:"note"`
	// CustomerNote makes the note visible to the customer, who is emailed about it.
	CustomerNote bool `json:"customer_note,omitempty"`
	// AddedByUser attributes the note to the API key's user instead of "system".
	AddedByUser bool `json:"added_by_user,omitempty"`
}

// OrderNoteListOptions filters GET /orders/{id}/notes. The endpoint is not paginated.
type OrderNoteListOptions struct {
	// Type is "any" (default), "customer" or "internal".
	Type string `url:"type,omitempty"`
}

// OrderNotesService manages order notes. Create it through NewClient.
type OrderNotesService service

func notesPath(orderID int64) string { return orderPath(orderID) + "/notes" }

// List returns all notes of the order (the endpoint is not paginated).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-order-notes
func (s *OrderNotesService) List(ctx context.Context, orderID int64, opts *OrderNoteListOptions) ([]OrderNote, *Response, error) {
	var notes []OrderNote
	resp, err := s.client.do(ctx, "list order notes", call{method: http.MethodGet, path: notesPath(orderID), query: opts}, &notes)
	if err != nil {
		return nil, resp, err
	}
	return notes, resp, nil
}

// Get returns one note of the order.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-an-order-note
func (s *OrderNotesService) Get(ctx context.Context, orderID, noteID int64) (*OrderNote, *Response, error) {
	return get[OrderNote](ctx, s.client, "get order note", notesPath(orderID)+"/"+strconv.FormatInt(noteID, 10))
}

// Create adds a note to the order. It is not retried after a network error or a 5xx (a lost
// response could add the note twice).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-an-order-note
func (s *OrderNotesService) Create(ctx context.Context, orderID int64, req *OrderNoteRequest) (*OrderNote, *Response, error) {
	return write[OrderNote](ctx, s.client, "create order note", call{method: http.MethodPost, path: notesPath(orderID), body: req})
}

// Delete deletes a note permanently (notes cannot be trashed, so force=true is always sent).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-an-order-note
func (s *OrderNotesService) Delete(ctx context.Context, orderID, noteID int64) (*OrderNote, *Response, error) {
	return write[OrderNote](ctx, s.client, "delete order note", call{
		method: http.MethodDelete, path: notesPath(orderID) + "/" + strconv.FormatInt(noteID, 10),
		query: url.Values{"force": {"true"}}, retrySafe: true,
	})
}
