package woorewardstest

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Prefix is the path below which the fake serves the WooRewards API.
const Prefix = "/wp-json/woorewards/v1/"

// Permission is a set of WooRewards API permission levels.
type Permission uint8

// The three WooRewards API permission levels.
const (
	// GeneralRead allows listing pools, earning methods and rewards, and badge rarity.
	GeneralRead Permission = 1 << iota
	// UserRead allows reading users' points, badges and badge owners.
	UserRead
	// UserWrite allows adding or subtracting points and unlocking rewards.
	UserWrite
	// AllPermissions grants every level.
	AllPermissions = GeneralRead | UserRead | UserWrite
)

// Pool configures a points and rewards system.
type Pool struct {
	// ID is the pool's identifier in the API (required).
	ID string
	// Name is its public name.
	Name string
	// ReserveID is the points reserve it uses; empty means ID. Pools with the same reserve share
	// balances.
	ReserveID string
	// Active pools let rewards be unlocked.
	Active bool
	// AutoUnlock makes an addition of points unlock rewards the user can afford, cheapest first,
	// consuming their cost at once (a stand-in for WooRewards' automatic unlocking).
	AutoUnlock bool
}

// EarningMethod configures a way to earn points in a pool.
type EarningMethod struct {
	ID          string
	Gain        int64
	Title       string
	Description string
}

// Reward configures a reward of a pool.
type Reward struct {
	ID          int64 // required, > 0, unique within the pool
	Cost        int64
	Title       string
	Description string
}

// Movement is one change of a user's points, as the fake applied it.
type Movement struct {
	Email     string
	PoolID    string
	ReserveID string
	// Delta is the change; negative for a subtraction or a reward's cost.
	Delta int64
	// Total is the balance after the change.
	Total  int64
	Reason string
	// Origin is "api" for an add/subtract call, "unlock" for an unlock call, "auto-unlock" for a
	// reward unlocked automatically by an addition.
	Origin string
}

// UnlockedReward is a reward unlocked for a user.
type UnlockedReward struct {
	Email    string
	PoolID   string
	RewardID int64
}

// RarityLevel is a badge rarity level: a badge owned by at most MaxPercent of the users has it.
type RarityLevel struct {
	Name       string
	MaxPercent float64
}

// DefaultRarityLevels are the fake's rarity levels until SetRarityLevels (the fake's choice, not
// WooRewards' defaults).
func DefaultRarityLevels() []RarityLevel {
	return []RarityLevel{{"Legendary", 1}, {"Epic", 5}, {"Rare", 15}, {"Uncommon", 35}, {"Common", 100}}
}

type user struct {
	id     int64
	email  string
	points map[string]int64 // by reserve
}

type pool struct {
	Pool
	methods []EarningMethod
	rewards []Reward
}

type badge struct {
	id     int64
	title  string
	owners map[int64]time.Time // user id → assigned
}

type credential struct {
	secret string
	perms  Permission
}

// Server is a running fake WooRewards site.
type Server struct {
	*httptest.Server
	// Faults injects faults in front of the fake's handler.
	Faults *faults.Injector

	mu         sync.Mutex
	disabled   bool
	users      map[string]*user // by lower-cased email
	nextUserID int64
	pools      []*pool
	badges     map[int64]*badge
	rarity     []RarityLevel
	logins     map[string]credential // application passwords by user name
	keys       map[string]credential // WooCommerce keys by consumer key
	history    []Movement
	unlocked   []UnlockedReward
}

// NewServer starts a fake WooRewards site over TLS, with the API enabled and no data. Its URL is
// the site URL to give woorewards.NewClient. Close it when done.
func NewServer() *Server {
	s := &Server{
		Faults:     &faults.Injector{},
		users:      map[string]*user{},
		nextUserID: 1,
		badges:     map[int64]*badge{},
		rarity:     DefaultRarityLevels(),
		logins:     map[string]credential{},
		keys:       map[string]credential{},
	}
	s.Server = httptest.NewTLSServer(s.Faults.Wrap(http.HandlerFunc(s.serve)))
	return s
}

// SetAPIEnabled switches the WooRewards REST API on or off; off, every route answers 404
// rest_no_route, as on a site where "Enable REST API" is not ticked.
func (s *Server) SetAPIEnabled(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled = !on
}

// AddAppPassword lets the WordPress user name log in with an application password and gives it
// perms.
func (s *Server) AddAppPassword(username, password string, perms Permission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins[username] = credential{secret: password, perms: perms}
}

// AddConsumerKey lets a WooCommerce REST API key and secret log in and gives them perms.
func (s *Server) AddConsumerKey(key, secret string, perms Permission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = credential{secret: secret, perms: perms}
}

// AddUser creates a WordPress user with this email (matched case-insensitively) and returns its
// user id. Adding an existing email returns the existing id.
func (s *Server) AddUser(email string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(email)
	if u, ok := s.users[key]; ok {
		return u.id
	}
	u := &user{id: s.nextUserID, email: email, points: map[string]int64{}}
	s.nextUserID++
	s.users[key] = u
	return u.id
}

// AddPool creates a pool. It panics on an empty or duplicate id.
func (s *Server) AddPool(p Pool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" || s.pool(p.ID) != nil {
		panic(fmt.Sprintf("woorewardstest: AddPool: empty or duplicate pool id %q", p.ID))
	}
	if p.ReserveID == "" {
		p.ReserveID = p.ID
	}
	s.pools = append(s.pools, &pool{Pool: p})
}

// SetPoolActive turns a pool on or off. It panics on an unknown pool.
func (s *Server) SetPoolActive(poolID string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustPool(poolID).Active = active
}

// AddEarningMethod adds a way to earn points to a pool. It panics on an unknown pool.
func (s *Server) AddEarningMethod(poolID string, m EarningMethod) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool(poolID)
	p.methods = append(p.methods, m)
}

// AddReward adds a reward to a pool. It panics on an unknown pool, or a reward id that is not
// positive or already used in the pool.
func (s *Server) AddReward(poolID string, r Reward) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool(poolID)
	if r.ID <= 0 || p.reward(r.ID) != nil {
		panic(fmt.Sprintf("woorewardstest: AddReward: invalid or duplicate reward id %d in pool %q", r.ID, poolID))
	}
	p.rewards = append(p.rewards, r)
}

// SetPoints sets a user's balance in the reserve of a pool, without a movement. It panics on an
// unknown email or pool.
func (s *Server) SetPoints(email, poolID string, points int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(email).points[s.mustPool(poolID).ReserveID] = points
}

// Points returns a user's balance in the reserve of a pool. It panics on an unknown email or pool.
func (s *Server) Points(email, poolID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustUser(email).points[s.mustPool(poolID).ReserveID]
}

// AddBadge creates a badge (a post of type lws_badge). It panics on an id that is not positive or
// already used.
func (s *Server) AddBadge(id int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.badges[id]; dup || id <= 0 {
		panic(fmt.Sprintf("woorewardstest: AddBadge: invalid or duplicate badge id %d", id))
	}
	s.badges[id] = &badge{id: id, title: title, owners: map[int64]time.Time{}}
}

// GrantBadge gives a badge to a user at the given time (sent as a wall-clock time in UTC). It
// panics on an unknown email or badge.
func (s *Server) GrantBadge(email string, badgeID int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUser(email)
	b, ok := s.badges[badgeID]
	if !ok {
		panic(fmt.Sprintf("woorewardstest: GrantBadge: unknown badge %d", badgeID))
	}
	b.owners[u.id] = at
}

// SetRarityLevels replaces the badge rarity levels.
func (s *Server) SetRarityLevels(levels []RarityLevel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rarity = slices.Clone(levels)
	sort.SliceStable(s.rarity, func(i, j int) bool { return s.rarity[i].MaxPercent < s.rarity[j].MaxPercent })
}

// History returns every movement applied through the API, oldest first.
func (s *Server) History() []Movement {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.history)
}

// Unlocked returns every reward unlocked, by the unlock route or automatically, oldest first.
func (s *Server) Unlocked() []UnlockedReward {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unlocked)
}

func (s *Server) pool(id string) *pool {
	for _, p := range s.pools {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) mustPool(id string) *pool {
	p := s.pool(id)
	if p == nil {
		panic(fmt.Sprintf("woorewardstest: unknown pool %q", id))
	}
	return p
}

func (s *Server) mustUser(email string) *user {
	u, ok := s.users[strings.ToLower(email)]
	if !ok {
		panic(fmt.Sprintf("woorewardstest: unknown user %q", email))
	}
	return u
}

func (p *pool) reward(id int64) *Reward {
	for i := range p.rewards {
		if p.rewards[i].ID == id {
			return &p.rewards[i]
		}
	}
	return nil
}

// session is who a request is logged in as.
type session struct {
	loggedIn bool
	perms    Permission
}

// authenticate returns the request's session, or writes the 401 WordPress sends for bad
// credentials. Credentials count only over TLS: WordPress disables application passwords without
// HTTPS, and WooCommerce reads keys from the query string only over HTTPS.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (session, bool) {
	if r.TLS == nil {
		return session{}, true
	}
	if name, pass, ok := r.BasicAuth(); ok {
		c, known := s.logins[name]
		switch {
		case !known:
			wp.WriteError(w, http.StatusUnauthorized, "invalid_username", "Unknown username. Check again or try your email address.")
			return session{}, false
		case subtle.ConstantTimeCompare([]byte(strings.ReplaceAll(pass, " ", "")), []byte(strings.ReplaceAll(c.secret, " ", ""))) != 1:
			wp.WriteError(w, http.StatusUnauthorized, "incorrect_password", "The provided password is an invalid application password.")
			return session{}, false
		}
		return session{loggedIn: true, perms: c.perms}, true
	}
	q := r.URL.Query()
	if key := q.Get("consumer_key"); key != "" {
		c, known := s.keys[key]
		switch {
		case !known:
			wp.WriteError(w, http.StatusUnauthorized, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
			return session{}, false
		case subtle.ConstantTimeCompare([]byte(q.Get("consumer_secret")), []byte(c.secret)) != 1:
			wp.WriteError(w, http.StatusUnauthorized, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
			return session{}, false
		}
		return session{loggedIn: true, perms: c.perms}, true
	}
	return session{}, true
}
