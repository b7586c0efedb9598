package sitootest

import (
	"encoding/json"
	"net/http"
)

// crud serves the plain resources: list, get, add (one object, or an array where batch is set),
// partial update, delete. T is the sitoo read type, R the request type used to validate input.
type crud[T any, R any] struct {
	srv     *Server
	kind    string // for error texts, e.g. "category"
	idField string // the JSON name of the id, e.g. "categoryid"
	table   func(*site) *table[T]
	setID   func(*T, int64)
	// check validates a request; create is set for an add. It may read the site.
	check func(s *site, req *R, create bool) error
	// touch sets server-side fields (dates, defaults) after an add (create) or update.
	touch func(v *T, create bool)
	// batch allows arrays on POST, PUT and DELETE.
	batch bool
}

func (c *crud[T, R]) list(w http.ResponseWriter, r *http.Request, _ *state, s *site, _ params) {
	p, err := c.srv.listParams(r.URL.Query())
	if err != nil {
		fail(w, err)
		return
	}
	writeEnvelope(w, p, c.table(s).list(false, nil))
}

func (c *crud[T, R]) get(w http.ResponseWriter, r *http.Request, _ *state, s *site, p params) {
	v, ok := c.table(s).get(p.ids[0])
	if !ok {
		fail(w, notFound("No %s with id %d", c.kind, p.ids[0]))
		return
	}
	writeObject(w, r, v)
}

func (c *crud[T, R]) add(w http.ResponseWriter, r *http.Request, st *state, s *site, _ params) {
	items, isArray, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	if isArray && !c.batch {
		fail(w, badRequest("Expected an object"))
		return
	}
	rs := make([]result, len(items))
	for i, raw := range items {
		id, err := c.create(st, s, raw)
		if err != nil {
			rs[i] = errResult(err)
			continue
		}
		rs[i] = okResult(id)
	}
	writeResults(w, isArray, rs)
}

func (c *crud[T, R]) create(st *state, s *site, raw json.RawMessage) (int64, error) {
	var req R
	if err := decodeStrict(raw, &req); err != nil {
		return 0, err
	}
	if c.check != nil {
		if err := c.check(s, &req, true); err != nil {
			return 0, err
		}
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return 0, badRequest("Invalid value: %v", err)
	}
	id := st.id(c.kind)
	c.setID(v, id)
	if c.touch != nil {
		c.touch(v, true)
	}
	c.table(s).put(id, v)
	return id, nil
}

func (c *crud[T, R]) update(w http.ResponseWriter, r *http.Request, _ *state, s *site, p params) {
	raw, err := readObject(r)
	if err != nil {
		fail(w, err)
		return
	}
	if err := c.patch(s, p.ids[0], raw); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, true)
}

// patch applies a partial update: only the fields present in raw change.
func (c *crud[T, R]) patch(s *site, id int64, raw json.RawMessage) error {
	cur, ok := c.table(s).get(id)
	if !ok {
		return notFound("No %s with id %d", c.kind, id)
	}
	var req R
	if err := decodeStrict(raw, &req); err != nil {
		return err
	}
	if c.check != nil {
		if err := c.check(s, &req, false); err != nil {
			return err
		}
	}
	next := *cur
	if err := json.Unmarshal(raw, &next); err != nil {
		return badRequest("Invalid value: %v", err)
	}
	c.setID(&next, id)
	if c.touch != nil {
		c.touch(&next, false)
	}
	c.table(s).put(id, &next)
	return nil
}

func (c *crud[T, R]) batchUpdate(w http.ResponseWriter, r *http.Request, _ *state, s *site, _ params) {
	items, isArray, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	if !isArray {
		fail(w, badRequest("Expected an array"))
		return
	}
	rs := make([]result, len(items))
	for i, raw := range items {
		id, err := idOf(raw, c.idField)
		if err == nil {
			err = c.patch(s, id, raw)
		}
		if err != nil {
			rs[i] = errResult(err)
			continue
		}
		rs[i] = okResult(true)
	}
	writeResults(w, true, rs)
}

func (c *crud[T, R]) remove(w http.ResponseWriter, _ *http.Request, _ *state, s *site, p params) {
	if !c.table(s).remove(p.ids[0]) {
		fail(w, notFound("No %s with id %d", c.kind, p.ids[0]))
		return
	}
	writeJSON(w, http.StatusOK, true)
}

func (c *crud[T, R]) batchRemove(w http.ResponseWriter, r *http.Request, _ *state, s *site, _ params) {
	items, isArray, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	if !isArray {
		fail(w, badRequest("Expected an array"))
		return
	}
	rs := make([]result, len(items))
	for i, raw := range items {
		id, err := idOf(raw, c.idField)
		if err == nil && !c.table(s).remove(id) {
			err = notFound("No %s with id %d", c.kind, id)
		}
		if err != nil {
			rs[i] = errResult(err)
			continue
		}
		rs[i] = okResult(true)
	}
	writeResults(w, true, rs)
}

// idOf reads an integer id field from an object.
func idOf(raw json.RawMessage, field string) (int64, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return 0, badRequest("Invalid syntax")
	}
	var id int64
	if v, ok := m[field]; !ok || json.Unmarshal(v, &id) != nil || id <= 0 {
		return 0, badRequest("Missing or invalid %s", field)
	}
	return id, nil
}
