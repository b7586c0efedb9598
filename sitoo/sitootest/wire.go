package sitootest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxBody caps a request body.
const maxBody = 32 << 20

// apiError is an error answered with Sitoo's error body.
type apiError struct {
	status int
	text   string
}

// Error returns the status and text.
func (e *apiError) Error() string { return fmt.Sprintf("%d: %s", e.status, e.text) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

var errURL = &apiError{http.StatusNotFound, "Resource not found. The url is invalid."}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal Server Error: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, text string) {
	writeJSON(w, status, map[string]any{"statuscode": status, "errortext": text})
}

// fail answers err: an *apiError with its status, anything else as 500.
func fail(w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeError(w, ae.status, ae.text)
		return
	}
	writeError(w, http.StatusInternalServerError, err.Error())
}

// readBody reads a request body: either one JSON object or an array of them.
func readBody(r *http.Request) (items []json.RawMessage, isArray bool, err error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, false, badRequest("Invalid request body")
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, false, badRequest("Missing request body")
	}
	if data[0] == '[' {
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, false, badRequest("Invalid syntax: %v", err)
		}
		return items, true, nil
	}
	if !json.Valid(data) || data[0] != '{' {
		return nil, false, badRequest("Invalid syntax")
	}
	return []json.RawMessage{data}, false, nil
}

// decodeStrict decodes an object into v, refusing unknown fields the way Sitoo refuses invalid
// ones, so that a client sending a misspelt field finds out.
func decodeStrict(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("Invalid value: %v", err)
	}
	return nil
}

// result is one item of a batch envelope.
type result struct {
	StatusCode int    `json:"statuscode"`
	Return     any    `json:"return"`
	ErrorText  string `json:"errortext,omitempty"`
}

func okResult(v any) result { return result{StatusCode: http.StatusOK, Return: v} }

func errResult(err error) result {
	var ae *apiError
	if errors.As(err, &ae) {
		return result{StatusCode: ae.status, Return: false, ErrorText: ae.text}
	}
	return result{StatusCode: http.StatusInternalServerError, Return: false, ErrorText: err.Error()}
}

// writeResults answers a batch: the envelope for an array body, the bare value (or the error) for a
// single object.
func writeResults(w http.ResponseWriter, isArray bool, rs []result) {
	if isArray {
		writeJSON(w, http.StatusOK, rs)
		return
	}
	if rs[0].StatusCode != http.StatusOK {
		writeError(w, rs[0].StatusCode, rs[0].ErrorText)
		return
	}
	writeJSON(w, http.StatusOK, rs[0].Return)
}

// bodyShape says which request bodies an endpoint accepts.
type bodyShape int

const (
	objectOrArray bodyShape = iota
	arrayOnly
	objectOnly
)

// eachItem answers a request whose body is one object or an array of objects by calling fn for
// each: an array gets a batch envelope with one result per item, a single object the bare value
// fn returns, or its error.
func eachItem(w http.ResponseWriter, r *http.Request, shape bodyShape, fn func(raw json.RawMessage) (any, error)) {
	items, isArray, err := readBody(r)
	switch {
	case err != nil:
	case shape == arrayOnly && !isArray:
		err = badRequest("Expected an array")
	case shape == objectOnly && isArray:
		err = badRequest("Expected an object")
	}
	if err != nil {
		fail(w, err)
		return
	}
	rs := make([]result, len(items))
	for i, raw := range items {
		v, err := fn(raw)
		if err != nil {
			rs[i] = errResult(err)
			continue
		}
		rs[i] = okResult(v)
	}
	writeResults(w, isArray, rs)
}

// skuOf reads the {"sku": ...} reference of a batch delete.
func skuOf(raw json.RawMessage) (string, error) {
	var ref struct {
		SKU string `json:"sku"`
	}
	if err := decodeStrict(raw, &ref); err != nil {
		return "", err
	}
	return ref.SKU, nil
}

// listParams are the paging parameters of a collection request.
type listParams struct {
	start, num int
	fields     []string
	sort       string
}

// query reads a collection request: its paging parameters and its filters. The first malformed
// parameter is kept in err, so a handler reads every filter and checks once.
type query struct {
	url.Values
	page listParams
	err  error
}

func (s *Server) query(r *http.Request) *query {
	q := &query{Values: r.URL.Query(), page: listParams{num: 10}} // Sitoo's default page size is 10
	q.page.sort = q.Get("sort")
	if n, ok := q.int("start"); ok {
		q.page.start = int(n)
	}
	if n, ok := q.int("num"); ok {
		q.page.num = int(n)
	}
	if q.page.start < 0 || q.page.num < 0 {
		q.fail("start/num")
	}
	if s.cfg.maxNum > 0 && q.page.num > s.cfg.maxNum {
		q.page.num = s.cfg.maxNum
	}
	q.page.fields = q.list("fields")
	return q
}

func (q *query) fail(name string) {
	if q.err == nil {
		q.err = badRequest("Invalid value in %s", name)
	}
}

// list reads a filter given as a comma-separated list (or repeated parameters).
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.Values[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// ints reads a list filter of integers.
func (q *query) ints(name string) []int64 {
	var out []int64
	for _, v := range q.list(name) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			q.fail(name)
			return nil
		}
		out = append(out, n)
	}
	return out
}

// int reads an integer filter; ok is false when it is absent or malformed.
func (q *query) int(name string) (n int64, ok bool) {
	v := q.Get(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		q.fail(name)
		return 0, false
	}
	return n, true
}

// writeEnvelope answers a collection request with one page of items, or with the query's error.
func writeEnvelope[T any](w http.ResponseWriter, q *query, items []T) {
	if q.err != nil {
		fail(w, q.err)
		return
	}
	p := q.page
	total := len(items)
	start := min(p.start, total)
	end := min(start+p.num, total)
	page := items[start:end]
	out := make([]any, len(page))
	for i := range page {
		v, err := project(page[i], p.fields)
		if err != nil {
			fail(w, err)
			return
		}
		out[i] = v
	}
	writeJSON(w, http.StatusOK, map[string]any{"totalcount": total, "items": out})
}

// writeObject answers one object, projected to the "fields" parameter if given.
func writeObject(w http.ResponseWriter, r *http.Request, v any) {
	var fields []string
	if f := r.URL.Query().Get("fields"); f != "" {
		fields = strings.Split(f, ",")
	}
	out, err := project(v, fields)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// project keeps only the named fields of v (all of them when fields is empty).
func project(v any, fields []string) (any, error) {
	if len(fields) == 0 {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		if raw, ok := m[strings.TrimSpace(f)]; ok {
			out[strings.TrimSpace(f)] = raw
		}
	}
	return out, nil
}

func parseID(seg string) (int64, error) {
	n, err := strconv.ParseInt(seg, 10, 64)
	if err != nil || n < 0 {
		return 0, errURL
	}
	return n, nil
}

func containsInt(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsStr(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
