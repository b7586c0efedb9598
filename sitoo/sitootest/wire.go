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

// readObject reads a body that must be one JSON object.
func readObject(r *http.Request) (json.RawMessage, error) {
	items, isArray, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if isArray {
		return nil, badRequest("Expected an object")
	}
	return items[0], nil
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

// listParams are the paging parameters of a collection request.
type listParams struct {
	start, num int
	fields     []string
	sort       string
}

func (s *Server) listParams(q url.Values) (listParams, error) {
	p := listParams{num: 10, sort: q.Get("sort")} // Sitoo's default page size is 10
	var err error
	if v := q.Get("start"); v != "" {
		if p.start, err = strconv.Atoi(v); err != nil || p.start < 0 {
			return p, badRequest("Invalid value in start")
		}
	}
	if v := q.Get("num"); v != "" {
		if p.num, err = strconv.Atoi(v); err != nil || p.num < 0 {
			return p, badRequest("Invalid value in num")
		}
	}
	if s.cfg.maxNum > 0 && p.num > s.cfg.maxNum {
		p.num = s.cfg.maxNum
	}
	if v := q.Get("fields"); v != "" {
		p.fields = strings.Split(v, ",")
	}
	return p, nil
}

// writeEnvelope answers a collection request with one page of items.
func writeEnvelope[T any](w http.ResponseWriter, p listParams, items []T) {
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

// queryList reads a filter given as a comma-separated list (or repeated parameters).
func queryList(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// queryInts reads a list filter of integers.
func queryInts(q url.Values, name string) ([]int64, error) {
	var out []int64
	for _, v := range queryList(q, name) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, badRequest("Invalid value in %s", name)
		}
		out = append(out, n)
	}
	return out, nil
}

// queryInt reads an integer filter; ok is false when absent.
func queryInt(q url.Values, name string) (n int64, ok bool, err error) {
	v := q.Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, badRequest("Invalid value in %s", name)
	}
	return n, true, nil
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
