package sitoo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// BatchResult is Sitoo's answer for one item of a batch request. Sitoo answers a batch with an
// array of {"statuscode": 200, "return": 28}, one per item in the order sent; "return" holds the
// new id for an add and true for an update or delete.
type BatchResult struct {
	// Index is the item's position in the slice passed to the batch method.
	Index int
	// StatusCode is the item's HTTP-style status.
	StatusCode int
	// ID is the "return" value when it is a number (the id of an added item), else 0.
	ID int64
	// Return is the raw "return" value.
	Return json.RawMessage
	// Err is an *ItemError when the item failed, else nil.
	Err error
}

// OK reports whether the item succeeded.
func (r BatchResult) OK() bool { return r.Err == nil }

// ReturnString returns "return" when it is a JSON string, such as the userid of an added user.
func (r BatchResult) ReturnString() (string, bool) {
	var s string
	if json.Unmarshal(r.Return, &s) != nil {
		return "", false
	}
	return s, true
}

// BatchResults are the per-item results of a batch call, in the order of the items sent.
type BatchResults []BatchResult

// Err returns the item errors joined (errors.Join), or nil when every item succeeded. Each joined
// error is an *ItemError: use errors.As, or errors.Is with a sentinel such as ErrBadRequest.
func (rs BatchResults) Err() error {
	var errs []error
	for _, r := range rs {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return errors.Join(errs...)
}

// IDs returns the returned ids of the successful items, in order.
func (rs BatchResults) IDs() []int64 {
	ids := make([]int64, 0, len(rs))
	for _, r := range rs {
		if r.Err == nil && r.ID != 0 {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// batchItem is one element of a batch response.
type batchItem struct {
	StatusCode int             `json:"statuscode"`
	Return     json.RawMessage `json:"return"`
	ErrorText  string          `json:"errortext"`
}

// decodeBatchResponse decodes the body of a batch response for n items sent, the first of which
// had index offset in the caller's slice. A JSON array must hold exactly n results; a bare value
// (Sitoo's answer to a single item) is accepted when n is 1. A result whose statuscode is not 2xx
// gets an *ItemError. An error is returned, with the results that could be read, when the
// response does not match the request (ErrBatchMismatch) or is not valid JSON.
func decodeBatchResponse(body []byte, n, offset int) (BatchResults, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '[' {
		if n != 1 || len(body) == 0 || !json.Valid(body) {
			return nil, fmt.Errorf("%w: expected %d results, got %q", ErrBatchMismatch, n, cut(body))
		}
		r := BatchResult{Index: offset, StatusCode: 200, Return: json.RawMessage(body)}
		r.ID, _, _ = decodeInt("id", body)
		return BatchResults{r}, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBatchMismatch, err)
	}
	out := make(BatchResults, 0, min(len(raw), n))
	for i, r := range raw {
		if i >= n {
			break
		}
		var it batchItem
		res := BatchResult{Index: offset + i}
		if err := json.Unmarshal(r, &it); err != nil {
			res.Err = &ItemError{Index: offset + i, Message: "unreadable result: " + err.Error(), Raw: r}
			out = append(out, res)
			continue
		}
		res.StatusCode, res.Return = it.StatusCode, it.Return
		if it.StatusCode >= 200 && it.StatusCode <= 299 {
			res.ID, _, _ = decodeInt("id", it.Return)
		} else {
			msg := it.ErrorText
			if msg == "" {
				var s string
				if json.Unmarshal(it.Return, &s) == nil {
					msg = s
				}
			}
			res.Err = &ItemError{Index: offset + i, StatusCode: it.StatusCode, Message: msg, Raw: r}
		}
		out = append(out, res)
	}
	if len(raw) != n {
		return out, fmt.Errorf("%w: %d results for %d items", ErrBatchMismatch, len(raw), n)
	}
	return out, nil
}

// keyed builds the body of a batch delete: [{"field": key}, ...].
func keyed[K any](field string, keys []K) []map[string]K {
	out := make([]map[string]K, len(keys))
	for i, k := range keys {
		out[i] = map[string]K{field: k}
	}
	return out
}

// sendBatch sends items in requests of at most size items each (always as JSON arrays) and
// collects the per-item results, with the last request's Response. When a request fails as a
// whole, it returns the results of the requests before it and the error, which names the
// operation op; the items of that request and after it were not applied by a completed request.
func sendBatch[I any](ctx context.Context, c *Client, op, method, path string, items []I, size int, retrySafe bool) (BatchResults, *Response, error) {
	if len(items) == 0 {
		return nil, nil, nil
	}
	if size <= 0 {
		size = c.batchSize
	}
	out := make(BatchResults, 0, len(items))
	var resp *Response
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		chunk := items[start:end]
		var err error
		resp, err = c.do(ctx, call{method: method, path: path, body: chunk, retrySafe: retrySafe}, nil)
		if err != nil {
			if start > 0 {
				err = fmt.Errorf("items %d..%d: %w", start, len(items)-1, err)
			}
			return out, resp, wrapErr(op, err)
		}
		rs, err := decodeBatchResponse(resp.Body, len(chunk), start)
		out = append(out, rs...)
		if err != nil {
			return out, resp, wrapErr(op, err)
		}
	}
	return out, resp, nil
}
