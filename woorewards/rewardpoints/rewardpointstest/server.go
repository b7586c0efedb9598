package rewardpointstest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Path is the add-points route's path.
const Path = "/wp-json/wc-reward-points/v1/add-points"

// Entry is one add in the points log.
type Entry struct {
	UserID   int64
	Points   int64
	Message  string // as stored, after sanitising
	NewTotal int64
}

type login struct {
	password string
	manage   bool
}

// Server is a running fake site with the add-points API.
type Server struct {
	*httptest.Server
	// Faults injects faults in front of the fake's handler.
	Faults *faults.Injector

	mu       sync.Mutex
	disabled bool
	users    map[int64]int64 // balance by user id
	logins   map[string]login
	log      []Entry
}

// NewServer starts a fake site over TLS with the API enabled and no users. Its URL is the site
// URL to give rewardpoints.NewClient. Close it when done.
func NewServer() *Server {
	s := &Server{Faults: &faults.Injector{}, users: map[int64]int64{}, logins: map[string]login{}}
	s.Server = httptest.NewTLSServer(s.Faults.Wrap(http.HandlerFunc(s.serve)))
	return s
}

// AddUser creates (or resets) WordPress user id with a balance of points.
func (s *Server) AddUser(id, points int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = points
}

// AddAppPassword lets username log in with an application password; manageWooCommerce gives it
// the capability the route requires (an Administrator or Shop Manager).
func (s *Server) AddAppPassword(username, password string, manageWooCommerce bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins[username] = login{password: password, manage: manageWooCommerce}
}

// SetAPIEnabled switches the plugin's API on or off; off, the route is not registered (404).
func (s *Server) SetAPIEnabled(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled = !on
}

// Points returns a user's balance; ok is false for an unknown user.
func (s *Server) Points(userID int64) (points int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	points, ok = s.users[userID]
	return points, ok
}

// Log returns every add, oldest first.
func (s *Server) Log() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

func forbidden(w http.ResponseWriter, status int) {
	wp.WriteError(w, status, "rest_forbidden", "Sorry, you are not allowed to do that.")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Bad application-password credentials fail before routing, as in WordPress; over plain HTTP
	// application passwords are unavailable and the credentials are ignored.
	var who *login
	if name, pass, ok := r.BasicAuth(); ok && r.TLS != nil {
		l, known := s.logins[name]
		if !known {
			wp.WriteError(w, http.StatusUnauthorized, "invalid_username", "Unknown username. Check again or try your email address.")
			return
		}
		if subtle.ConstantTimeCompare([]byte(strings.ReplaceAll(pass, " ", "")), []byte(strings.ReplaceAll(l.password, " ", ""))) != 1 {
			wp.WriteError(w, http.StatusUnauthorized, "incorrect_password", "The provided password is an invalid application password.")
			return
		}
		who = &l
	}
	if s.disabled || r.URL.Path != Path || r.Method != http.MethodPost {
		wp.WriteNoRoute(w)
		return
	}
	switch {
	case who == nil:
		forbidden(w, http.StatusUnauthorized)
		return
	case !who.manage:
		forbidden(w, http.StatusForbidden)
		return
	}
	s.add(w, r)
}

var positiveInt = regexp.MustCompile(`^[0-9]+$`)

// intParam reads an integer parameter as WordPress's "integer" validation does: a JSON number
// without fraction, or a string of digits.
func intParam(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	if !positiveInt.MatchString(strings.TrimPrefix(s, "-")) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func (s *Server) add(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		wp.WriteError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	if _, ok := body["message"]; !ok {
		wp.WriteError(w, http.StatusBadRequest, "rest_missing_callback_param", "Missing parameter(s): message")
		return
	}
	userID, ok := intParam(body["user_id"])
	if _, exists := s.users[userID]; !ok || !exists {
		wp.WriteError(w, http.StatusBadRequest, "invalid_user", "Invalid user.")
		return
	}
	points, ok := intParam(body["points"])
	if !ok || points <= 0 {
		wp.WriteError(w, http.StatusBadRequest, "invalid_points", "Points must be a positive integer.")
		return
	}
	var msg string
	_ = json.Unmarshal(body["message"], &msg)
	msg = sanitizeTextField(msg)
	s.users[userID] += points
	total := s.users[userID]
	s.log = append(s.log, Entry{UserID: userID, Points: points, Message: msg, NewTotal: total})
	wp.WriteJSON(w, http.StatusOK, map[string]any{
		"success": true, "user_id": userID, "points_added": points, "new_total": total, "message": msg,
	})
}

var (
	tags       = regexp.MustCompile(`<[^>]*>`)
	whitespace = regexp.MustCompile(`[\r\n\t ]+`)
)

// sanitizeTextField approximates WordPress's sanitize_text_field: strip tags, collapse line
// breaks, tabs and runs of spaces, trim.
func sanitizeTextField(s string) string {
	return strings.TrimSpace(whitespace.ReplaceAllString(tags.ReplaceAllString(s, ""), " "))
}
