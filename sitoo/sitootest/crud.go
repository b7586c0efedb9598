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
	writeEnvelope(w, c.srv.query(r), c.table(s).list(false, nil))
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
	shape := objectOnly
	if c.batch {
		shape = objectOrArray
	}
	eachItem(w, r, shape, func(raw json.RawMessage) (any, error) { return c.create(st, s, raw) })
}

func (c *crud[T, R]) create(st *state, s *site, raw json.RawMessage) (int64, error) {
	if err := c.validate(s, raw, true); err != nil {
		return 0, err
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

func (c *crud[T, R]) validate(s *site, raw json.RawMessage, create bool) error {
	var req R
	if err := decodeStrict(raw, &req); err != nil {
		return err
	}
	if c.check != nil {
		return c.check(s, &req, create)
	}
	return nil
}

func (c *crud[T, R]) update(w http.ResponseWriter, r *http.Request, _ *state, s *site, p params) {
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return true, c.patch(s, p.ids[0], raw) })
}

// patch applies a partial update: only the fields present in raw change.
func (c *crud[T, R]) patch(s *site, id int64, raw json.RawMessage) error {
	cur, ok := c.table(s).get(id)
	if !ok {
		return notFound("No %s with id %d", c.kind, id)
	}
	if err := c.validate(s, raw, false); err != nil {
		return err
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
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		id, err := idOf(raw, c.idField)
		if err != nil {
			return nil, err
		}
		return true, c.patch(s, id, raw)
	})
}

func (c *crud[T, R]) remove(w http.ResponseWriter, _ *http.Request, _ *state, s *site, p params) {
	if err := c.delete(s, p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, true)
}

func (c *crud[T, R]) delete(s *site, id int64) error {
	if !c.table(s).remove(id) {
		return notFound("No %s with id %d", c.kind, id)
	}
	return nil
}

func (c *crud[T, R]) batchRemove(w http.ResponseWriter, r *http.Request, _ *state, s *site, _ params) {
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		id, err := idOf(raw, c.idField)
		if err != nil {
			return nil, err
		}
		return true, c.delete(s, id)
	})
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
