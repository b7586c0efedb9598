package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/loyalsync/loyalsync/internal/wp"
)

// MaxBatchItems is WooCommerce's default limit of create + update + delete items in one batch
// request (filter woocommerce_rest_batch_items_limit). Batch methods split larger batches into
// requests of at most this many items.
const MaxBatchItems = 100

// Batch is a batch request: objects to create, objects to update, and ids to delete. WooCommerce
// always deletes batch items permanently (force).
type Batch[R any] struct {
	Create []R
	Update []BatchUpdate[R]
	Delete []int64
}

// BatchUpdate is one update of a batch: the changes to apply to the object with this ID.
type BatchUpdate[R any] struct {
	ID      int64
	Changes R
}

// MarshalJSON encodes the changes with "id" added, as WooCommerce expects.
func (u BatchUpdate[R]) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(u.Changes)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '{' {
		return nil, fmt.Errorf("woocommerce: batch update changes must encode as a JSON object")
	}
	out := make([]byte, 0, len(b)+24)
	out = append(out, `{"id":`...)
	out = strconv.AppendInt(out, u.ID, 10)
	if len(bytes.TrimSpace(b[1:len(b)-1])) > 0 {
		out = append(out, ',')
	}
	out = append(out, b[1:]...)
	return out, nil
}

// BatchResult holds the objects WooCommerce created, updated and deleted, in request order.
// Items that failed are not in it: they are reported by the *BatchError returned with it.
type BatchResult[T any] struct {
	Created []T
	Updated []T
	Deleted []T
}

// batchItem is one item of a batch response: the object, or {"id":N,"error":{...}}.
type batchItem[T any] struct {
	obj T
	err *wp.RESTError
	id  int64
}

func (b *batchItem[T]) UnmarshalJSON(data []byte) error {
	// An item failed when it is an object with an "error" member; peek before the full decode.
	if bytes.Contains(data, []byte(`"error"`)) {
		var probe struct {
			ID    FlexInt         `json:"id"`
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(data, &probe); err == nil && len(probe.Error) > 0 && probe.Error[0] == '{' {
			if w, ok := wp.ParseError(0, probe.Error); ok && w.Code != "" {
				b.err, b.id = &w, int64(probe.ID)
				return nil
			}
		}
	}
	return unmarshalJSON(data, &b.obj)
}

type batchResponse[T any] struct {
	Create []batchItem[T] `json:"create"`
	Update []batchItem[T] `json:"update"`
	Delete []batchItem[T] `json:"delete"`
}

type batchRequest[R any] struct {
	Create []R              `json:"create,omitempty"`
	Update []BatchUpdate[R] `json:"update,omitempty"`
	Delete []int64          `json:"delete,omitempty"`
}

// runBatch sends b in chunks of at most MaxBatchItems (creates first, then updates, then deletes,
// each chunk filled in that order) and merges the results. It stops at the first chunk that fails
// as a whole and returns what succeeded before it with that error. Item failures are collected
// into a *BatchError returned after all chunks ran.
//
// A batch is never retried after a network error: it may contain creates, and a lost response
// cannot tell which of them were applied.
func runBatch[T any, R any](ctx context.Context, c *Client, op, path string, b *Batch[R]) (*BatchResult[T], error) {
	res := &BatchResult[T]{}
	if b == nil {
		return res, nil
	}
	var itemErrs []*BatchItemError
	ci, ui, di := 0, 0, 0
	for ci < len(b.Create) || ui < len(b.Update) || di < len(b.Delete) {
		room := MaxBatchItems
		var chunk batchRequest[R]
		cStart, uStart, dStart := ci, ui, di
		take := func(n int) int { return min(n, room) }
		n := take(len(b.Create) - ci)
		chunk.Create, ci, room = b.Create[ci:ci+n], ci+n, room-n
		n = take(len(b.Update) - ui)
		chunk.Update, ui, room = b.Update[ui:ui+n], ui+n, room-n
		n = take(len(b.Delete) - di)
		chunk.Delete, di = b.Delete[di:di+n], di+n

		var resp batchResponse[T]
		if _, err := c.do(ctx, op, call{method: http.MethodPost, path: path, body: &chunk}, &resp); err != nil {
			return res, err
		}
		res.Created = collect(res.Created, resp.Create, BatchOpCreate, cStart, &itemErrs)
		res.Updated = collect(res.Updated, resp.Update, BatchOpUpdate, uStart, &itemErrs)
		res.Deleted = collect(res.Deleted, resp.Delete, BatchOpDelete, dStart, &itemErrs)
	}
	if len(itemErrs) > 0 {
		return res, fmt.Errorf("woocommerce: %s: %w", op, &BatchError{Items: itemErrs})
	}
	return res, nil
}

func collect[T any](dst []T, items []batchItem[T], op BatchOp, offset int, errs *[]*BatchItemError) []T {
	for i, it := range items {
		if it.err != nil {
			*errs = append(*errs, &BatchItemError{
				Op: op, Index: offset + i, ID: it.id,
				Code: it.err.Code, Message: it.err.Message, Data: decodeErrorData(it.err.Data),
			})
			continue
		}
		dst = append(dst, it.obj)
	}
	return dst
}
