package sitootest

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/loyalsync/loyalsync/sitoo"
)

// Users are common to all sites of the account, so every site's /users shows the same ones.

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, st *state, _ *site, _ params) {
	q := s.query(r)
	var out []*sitoo.User
	for _, id := range st.userIDs {
		u := st.users[id]
		if (q.Get("email") == "" || u.Email == q.Get("email")) &&
			(q.Get("customernumber") == "" || u.CustomerNumber == q.Get("customernumber")) &&
			(q.Get("personalid") == "" || u.PersonalID == q.Get("personalid")) &&
			(q.Get("mobile") == "" || u.Mobile == q.Get("mobile")) {
			out = append(out, u)
		}
	}
	writeEnvelope(w, q, out)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, st *state, _ *site, p params) {
	u, ok := st.users[p.strs[0]]
	if !ok {
		fail(w, notFound("No user with id %s", p.strs[0]))
		return
	}
	writeObject(w, r, u)
}

func (s *Server) addUsers(w http.ResponseWriter, r *http.Request, st *state, _ *site, _ params) {
	eachItem(w, r, objectOrArray, func(raw json.RawMessage) (any, error) { return s.createUser(st, raw) })
}

func (s *Server) createUser(st *state, raw json.RawMessage) (string, error) {
	var req sitoo.UserRequest
	if err := decodeStrict(raw, &req); err != nil {
		return "", err
	}
	if req.Email == nil || *req.Email == "" {
		return "", badRequest("Missing required argument: email")
	}
	if req.UserID != "" {
		return "", badRequest("Invalid value in userid")
	}
	u := &sitoo.User{}
	if err := json.Unmarshal(raw, u); err != nil {
		return "", badRequest("Invalid value: %v", err)
	}
	n := st.id("user")
	u.UserID = fmt.Sprintf("{%08X-0000-4000-8000-%012X}", n, n)
	if err := st.checkUser(u); err != nil {
		return "", err
	}
	now := sitoo.NewUnixTime(s.now())
	u.DateCreated, u.DateModified = now, now
	st.users[u.UserID] = u
	st.userIDs = append(st.userIDs, u.UserID)
	return u.UserID, nil
}

// checkUser enforces the unique email.
func (st *state) checkUser(u *sitoo.User) error {
	for _, id := range st.userIDs {
		if o := st.users[id]; o.UserID != u.UserID && o.Email == u.Email {
			return badRequest("Invalid value in email (%s already exists)", u.Email)
		}
	}
	return nil
}

func (s *Server) patchUser(st *state, id string, raw json.RawMessage) error {
	cur, ok := st.users[id]
	if !ok {
		return notFound("No user with id %s", id)
	}
	var req sitoo.UserRequest
	if err := decodeStrict(raw, &req); err != nil {
		return err
	}
	next := *cur
	if err := json.Unmarshal(raw, &next); err != nil {
		return badRequest("Invalid value: %v", err)
	}
	next.UserID = id
	if err := st.checkUser(&next); err != nil {
		return err
	}
	next.DateModified = sitoo.NewUnixTime(s.now())
	st.users[id] = &next
	return nil
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, st *state, _ *site, p params) {
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return true, s.patchUser(st, p.strs[0], raw) })
}

func (s *Server) updateUsers(w http.ResponseWriter, r *http.Request, st *state, _ *site, _ params) {
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		var ref struct {
			UserID string `json:"userid"`
		}
		if err := json.Unmarshal(raw, &ref); err != nil {
			return nil, badRequest("Invalid syntax")
		}
		return true, s.patchUser(st, ref.UserID, raw)
	})
}

func (s *Server) deleteUser(w http.ResponseWriter, _ *http.Request, st *state, _ *site, p params) {
	id := p.strs[0]
	if _, ok := st.users[id]; !ok {
		fail(w, notFound("No user with id %s", id))
		return
	}
	delete(st.users, id)
	for i, x := range st.userIDs {
		if x == id {
			st.userIDs = append(st.userIDs[:i:i], st.userIDs[i+1:]...)
			break
		}
	}
	writeJSON(w, http.StatusOK, true)
}
