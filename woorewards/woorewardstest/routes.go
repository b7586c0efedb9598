package woorewardstest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/internal/wp"
)

// route is one WooRewards route: its method, path pattern (":x" a variable segment, constrained
// by varMatches), the permission it needs and its handler.
type route struct {
	method  string
	pattern []string
	perm    Permission
	handle  func(s *Server, w http.ResponseWriter, v map[string]string)
}

var (
	digits       = regexp.MustCompile(`^[0-9]+$`)
	signedDigits = regexp.MustCompile(`^-?[0-9]+$`)
)

// varMatches constrains variable segments as the plugin's route regexps would.
func varMatches(name, v string) bool {
	switch name {
	case ":reward", ":badge":
		return digits.MatchString(v)
	case ":amount":
		return signedDigits.MatchString(v)
	}
	return v != ""
}

func routes() []route {
	return []route{
		{http.MethodGet, []string{"pools"}, GeneralRead, (*Server).listPools},
		{http.MethodGet, []string{"pools", ":pool", "methods"}, GeneralRead, (*Server).listMethods},
		{http.MethodGet, []string{"pools", ":pool", "rewards"}, GeneralRead, (*Server).listRewards},
		{http.MethodPut, []string{"pools", ":pool", "rewards", ":reward", "unlock", ":email"}, UserWrite, (*Server).unlock},
		{http.MethodGet, []string{"points", ":email", ":pool"}, UserRead, (*Server).getPoints},
		{http.MethodPut, []string{"points", ":email", ":pool", ":amount", ":reason"}, UserWrite, (*Server).adjustPoints},
		{http.MethodGet, []string{"badges", ":email"}, UserRead, (*Server).userBadges},
		{http.MethodGet, []string{"badge_owners", ":badge"}, UserRead, (*Server).badgeOwners},
		{http.MethodGet, []string{"badge_rarity", ":badge"}, GeneralRead, (*Server).badgeRarity},
	}
}

func match(rt route, method string, segs []string) (map[string]string, bool) {
	if rt.method != method || len(rt.pattern) != len(segs) {
		return nil, false
	}
	vars := map[string]string{}
	for i, p := range rt.pattern {
		if strings.HasPrefix(p, ":") {
			if !varMatches(p, segs[i]) {
				return nil, false
			}
			vars[p] = segs[i]
		} else if p != segs[i] {
			return nil, false
		}
	}
	return vars, true
}

// serve handles a request as WordPress would: bad credentials first (401), then route matching
// (404 rest_no_route), then the route's permission (401 anonymous, 403 lacking it), then the
// handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	segs, ok := wp.Segments(r, Prefix)
	if !ok || s.disabled {
		wp.WriteNoRoute(w)
		return
	}
	for _, rt := range routes() {
		vars, ok := match(rt, r.Method, segs)
		if !ok {
			continue
		}
		switch {
		case !sess.loggedIn:
			wp.WriteError(w, http.StatusUnauthorized, "rest_forbidden", "Sorry, you are not allowed to do that.")
		case sess.perms&rt.perm == 0:
			wp.WriteError(w, http.StatusForbidden, "rest_forbidden", "Sorry, you are not allowed to do that.")
		default:
			rt.handle(s, w, vars)
		}
		return
	}
	wp.WriteNoRoute(w)
}

func notFound(w http.ResponseWriter, what, message string) {
	wp.WriteError(w, http.StatusNotFound, "woorewards_"+what+"_not_found", message)
}

// lookups write the 404 and return nil when the thing does not exist.

func (s *Server) lookupUser(w http.ResponseWriter, email string) *user {
	u, ok := s.users[strings.ToLower(email)]
	if !ok {
		notFound(w, "user", "User not found for this email.")
		return nil
	}
	return u
}

func (s *Server) lookupPool(w http.ResponseWriter, id string) *pool {
	p := s.pool(id)
	if p == nil {
		notFound(w, "pool", "Unknown points and rewards system.")
	}
	return p
}

func (s *Server) lookupBadge(w http.ResponseWriter, id string) *badge {
	n, _ := strconv.ParseInt(id, 10, 64)
	b, ok := s.badges[n]
	if !ok {
		notFound(w, "badge", "Badge not found.")
		return nil
	}
	return b
}

func poolJSON(p *pool) map[string]any {
	return map[string]any{"id": p.ID, "name": p.Name, "points": p.ReserveID, "active": p.Active, "type": "standard"}
}

func rewardJSON(r Reward) map[string]any {
	return map[string]any{"id": r.ID, "cost": r.Cost, "title": r.Title, "description": r.Description}
}

func statusJSON(p *pool, u *user, rewards int) map[string]any {
	return map[string]any{"id": p.ID, "points": p.ReserveID, "value": u.points[p.ReserveID], "rewards": rewards}
}

func (s *Server) listPools(w http.ResponseWriter, _ map[string]string) {
	out := make([]map[string]any, 0, len(s.pools))
	for _, p := range s.pools {
		out = append(out, poolJSON(p))
	}
	wp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) listMethods(w http.ResponseWriter, v map[string]string) {
	p := s.lookupPool(w, v[":pool"])
	if p == nil {
		return
	}
	out := make([]map[string]any, 0, len(p.methods))
	for _, m := range p.methods {
		out = append(out, map[string]any{"id": m.ID, "gain": m.Gain, "title": m.Title, "description": m.Description})
	}
	wp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) listRewards(w http.ResponseWriter, v map[string]string) {
	p := s.lookupPool(w, v[":pool"])
	if p == nil {
		return
	}
	out := make([]map[string]any, 0, len(p.rewards))
	for _, r := range p.rewards {
		out = append(out, rewardJSON(r))
	}
	wp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) getPoints(w http.ResponseWriter, v map[string]string) {
	u := s.lookupUser(w, v[":email"])
	if u == nil {
		return
	}
	p := s.lookupPool(w, v[":pool"])
	if p == nil {
		return
	}
	st := statusJSON(p, u, 0)
	delete(st, "rewards")
	wp.WriteJSON(w, http.StatusOK, st)
}

// move changes a user's balance in a pool's reserve and records the movement.
func (s *Server) move(u *user, p *pool, delta int64, reason, origin string) {
	u.points[p.ReserveID] += delta
	s.history = append(s.history, Movement{
		Email: u.email, PoolID: p.ID, ReserveID: p.ReserveID,
		Delta: delta, Total: u.points[p.ReserveID], Reason: reason, Origin: origin,
	})
}

func (s *Server) grant(u *user, p *pool, r Reward, origin string) {
	s.move(u, p, -r.Cost, fmt.Sprintf("Reward unlocked: %s", r.Title), origin)
	s.unlocked = append(s.unlocked, UnlockedReward{Email: u.email, PoolID: p.ID, RewardID: r.ID})
}

func (s *Server) adjustPoints(w http.ResponseWriter, v map[string]string) {
	u := s.lookupUser(w, v[":email"])
	if u == nil {
		return
	}
	p := s.lookupPool(w, v[":pool"])
	if p == nil {
		return
	}
	delta, err := strconv.ParseInt(v[":amount"], 10, 64)
	if err != nil {
		wp.WriteError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): points")
		return
	}
	s.move(u, p, delta, v[":reason"], "api")
	unlocked := 0
	if p.AutoUnlock && delta > 0 {
		unlocked = s.autoUnlock(u, p)
	}
	wp.WriteJSON(w, http.StatusOK, statusJSON(p, u, unlocked))
}

// autoUnlock unlocks the cheapest affordable reward (cost > 0) until none is affordable.
func (s *Server) autoUnlock(u *user, p *pool) int {
	byCost := slices.Clone(p.rewards)
	slices.SortStableFunc(byCost, func(a, b Reward) int { return cmpInt(a.Cost, b.Cost) })
	n := 0
	for _, r := range byCost {
		for r.Cost > 0 && u.points[p.ReserveID] >= r.Cost {
			s.grant(u, p, r, "auto-unlock")
			n++
		}
	}
	return n
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Server) unlock(w http.ResponseWriter, v map[string]string) {
	u := s.lookupUser(w, v[":email"])
	if u == nil {
		return
	}
	p := s.lookupPool(w, v[":pool"])
	if p == nil {
		return
	}
	id, _ := strconv.ParseInt(v[":reward"], 10, 64)
	r := p.reward(id)
	switch {
	case r == nil:
		notFound(w, "reward", "Reward not found in this points and rewards system.")
		return
	case !p.Active:
		wp.WriteError(w, http.StatusGone, "woorewards_pool_inactive", "The points and rewards system is not active.")
		return
	case u.points[p.ReserveID] < r.Cost:
		wp.WriteError(w, http.StatusConflict, "woorewards_unlock_refused",
			"The user does not fulfill the conditions to unlock this reward.")
		return
	}
	s.grant(u, p, *r, "unlock")
	wp.WriteJSON(w, http.StatusOK, map[string]any{"points": statusJSON(p, u, 1), "reward": rewardJSON(*r)})
}

func (s *Server) userBadges(w http.ResponseWriter, v map[string]string) {
	u := s.lookupUser(w, v[":email"])
	if u == nil {
		return
	}
	ids := make([]int64, 0)
	for id, b := range s.badges {
		if _, ok := b.owners[u.id]; ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		at := s.badges[id].owners[u.id].UTC().Format("2006-01-02 15:04:05")
		out = append(out, map[string]any{"badge_id": id, "assign_date": at})
	}
	wp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) badgeOwners(w http.ResponseWriter, v map[string]string) {
	b := s.lookupBadge(w, v[":badge"])
	if b == nil {
		return
	}
	ids := make([]int64, 0, len(b.owners))
	for id := range b.owners {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	wp.WriteJSON(w, http.StatusOK, ids)
}

func (s *Server) badgeRarity(w http.ResponseWriter, v map[string]string) {
	b := s.lookupBadge(w, v[":badge"])
	if b == nil {
		return
	}
	share := 0.0
	if len(s.users) > 0 {
		share = 100 * float64(len(b.owners)) / float64(len(s.users))
	}
	level := RarityLevel{Name: "Common", MaxPercent: 100}
	for _, l := range s.rarity {
		if share <= l.MaxPercent {
			level = l
			break
		}
	}
	wp.WriteJSON(w, http.StatusOK, map[string]any{"rarity": level.Name, "percentage": level.MaxPercent})
}
