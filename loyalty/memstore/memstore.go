package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

type accountKey struct{ program, member string }

type orderKey struct{ program, store, order string }

type movementKey struct{ program, key string }

type account struct {
	loyalty.Account
	movements []loyalty.Movement // increasing Seq
}

// Store is an in-memory loyalty.Store. The zero value is not usable; call New.
type Store struct {
	mu sync.RWMutex

	seq          int64 // last Seq assigned to any record
	memberNumber int64 // last member number

	programs        map[string]loyalty.Program
	members         map[string]loyalty.Member
	memberByEmail   map[string]string
	memberByCode    map[string]string
	memberByNumber  map[int64]string
	accounts        map[accountKey]*account
	programAccounts map[string][]*account // increasing Account.Seq
	movements       map[movementKey]loyalty.Movement
	orders          map[orderKey]loyalty.OrderState
	redemptions     map[string]loyalty.Redemption
	redemptionCodes map[string]string
	redemptionKeys  map[movementKey]string // (program, idempotency key) → id
	redemptionOrder []string               // ids, increasing Seq
	activity        map[string][]loyalty.ActivityEntry
	receipts        map[string][]loyalty.Receipt
	settings        map[string][]byte
}

// New returns an empty Store.
func New() *Store {
	return &Store{
		programs:        map[string]loyalty.Program{},
		members:         map[string]loyalty.Member{},
		memberByEmail:   map[string]string{},
		memberByCode:    map[string]string{},
		memberByNumber:  map[int64]string{},
		accounts:        map[accountKey]*account{},
		programAccounts: map[string][]*account{},
		movements:       map[movementKey]loyalty.Movement{},
		orders:          map[orderKey]loyalty.OrderState{},
		redemptions:     map[string]loyalty.Redemption{},
		redemptionCodes: map[string]string{},
		redemptionKeys:  map[movementKey]string{},
		settings:        map[string][]byte{},
		activity:        map[string][]loyalty.ActivityEntry{},
		receipts:        map[string][]loyalty.Receipt{},
	}
}

var _ loyalty.Store = (*Store)(nil)

// Update runs fn in a read-write transaction; see loyalty.Store.
func (s *Store) Update(ctx context.Context, fn func(loyalty.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &tx{readTx: readTx{s: s}}
	committed := false
	defer func() {
		tx.done = true
		if !committed {
			tx.rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	committed = true
	return nil
}

// View runs fn in a read-only transaction; see loyalty.Store.
func (s *Store) View(ctx context.Context, fn func(loyalty.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rt := &readTx{s: s}
	defer func() { rt.done = true }()
	return fn(rt)
}

type readTx struct {
	s    *Store
	done bool
}

type tx struct {
	readTx
	undo []func()
}

func (t *tx) rollback() {
	for _, u := range slices.Backward(t.undo) {
		u()
	}
	t.undo = nil
}

func (t *readTx) check() error {
	if t.done {
		return fmt.Errorf("memstore: transaction used after it ended")
	}
	return nil
}

// keyError is a not-found or duplicate-key error whose message is only formatted when read, so
// that the engine's frequent existence checks stay cheap.
type keyError struct {
	sentinel error
	what     string
	args     []any
}

func (e *keyError) Error() string {
	return "memstore: " + fmt.Sprintf(e.what, e.args...) + ": " + e.sentinel.Error()
}

func (e *keyError) Unwrap() error { return e.sentinel }

func notFound(what string, args ...any) error {
	return &keyError{sentinel: loyalty.ErrNotFound, what: what, args: args}
}

func duplicate(what string, args ...any) error {
	return &keyError{sentinel: loyalty.ErrDuplicateKey, what: what, args: args}
}

// ---- reads

func (t *readTx) Program(_ context.Context, id string) (loyalty.Program, error) {
	if err := t.check(); err != nil {
		return loyalty.Program{}, err
	}
	p, ok := t.s.programs[id]
	if !ok {
		return p, notFound("program %q", id)
	}
	return p, nil
}

func (t *readTx) Programs(context.Context) ([]loyalty.Program, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	ps := make([]loyalty.Program, 0, len(t.s.programs))
	for _, p := range t.s.programs {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b loyalty.Program) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return ps, nil
}

func (t *readTx) Member(_ context.Context, id string) (loyalty.Member, error) {
	if err := t.check(); err != nil {
		return loyalty.Member{}, err
	}
	m, ok := t.s.members[id]
	if !ok {
		return m, notFound("member %q", id)
	}
	return m, nil
}

func (t *readTx) memberBy(id string, ok bool, what string, key any) (loyalty.Member, error) {
	if err := t.check(); err != nil {
		return loyalty.Member{}, err
	}
	if !ok {
		return loyalty.Member{}, notFound("member with %s %v", what, key)
	}
	return t.s.members[id], nil
}

func (t *readTx) MemberByEmail(_ context.Context, email string) (loyalty.Member, error) {
	id, ok := t.s.memberByEmail[email]
	return t.memberBy(id, ok && email != "", "email", "(redacted)")
}

func (t *readTx) MemberByCode(_ context.Context, code string) (loyalty.Member, error) {
	id, ok := t.s.memberByCode[code]
	return t.memberBy(id, ok, "code", code)
}

func (t *readTx) MemberByNumber(_ context.Context, number int64) (loyalty.Member, error) {
	id, ok := t.s.memberByNumber[number]
	return t.memberBy(id, ok, "number", number)
}

func (t *readTx) Account(_ context.Context, programID, memberID string) (loyalty.Account, error) {
	if err := t.check(); err != nil {
		return loyalty.Account{}, err
	}
	a, ok := t.s.accounts[accountKey{programID, memberID}]
	if !ok {
		return loyalty.Account{}, notFound("account %q/%q", programID, memberID)
	}
	return a.Account, nil
}

// pageBefore returns the newest-first page of items (sorted by increasing seq) below p.Before.
func pageBefore[T any](items []T, seq func(T) int64, p loyalty.Page) []T {
	end := len(items)
	if p.Before > 0 {
		end = sort.Search(len(items), func(i int) bool { return seq(items[i]) >= p.Before })
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 50
	}
	out := make([]T, 0, min(limit, end))
	for i := end - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, items[i])
	}
	return out
}

func (t *readTx) Memberships(_ context.Context, programID string, p loyalty.Page) ([]loyalty.Membership, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	accts := pageBefore(t.s.programAccounts[programID], func(a *account) int64 { return a.Seq }, p)
	out := make([]loyalty.Membership, len(accts))
	for i, a := range accts {
		out[i] = loyalty.Membership{Member: t.s.members[a.MemberID], Account: a.Account}
	}
	return out, nil
}

func (t *readTx) Movement(_ context.Context, programID, key string) (loyalty.Movement, error) {
	if err := t.check(); err != nil {
		return loyalty.Movement{}, err
	}
	m, ok := t.s.movements[movementKey{programID, key}]
	if !ok {
		return m, notFound("movement %q", key)
	}
	return m, nil
}

func (t *readTx) Movements(_ context.Context, programID, memberID string, p loyalty.Page) ([]loyalty.Movement, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	a, ok := t.s.accounts[accountKey{programID, memberID}]
	if !ok {
		return []loyalty.Movement{}, nil
	}
	return pageBefore(a.movements, func(m loyalty.Movement) int64 { return m.Seq }, p), nil
}

func (t *readTx) OrderState(_ context.Context, programID, store, orderID string) (loyalty.OrderState, error) {
	if err := t.check(); err != nil {
		return loyalty.OrderState{}, err
	}
	o, ok := t.s.orders[orderKey{programID, store, orderID}]
	if !ok {
		return o, notFound("order %q from %q", orderID, store)
	}
	return o, nil
}

func (t *readTx) Redemption(_ context.Context, id string) (loyalty.Redemption, error) {
	if err := t.check(); err != nil {
		return loyalty.Redemption{}, err
	}
	r, ok := t.s.redemptions[id]
	if !ok {
		return r, notFound("redemption %q", id)
	}
	return r, nil
}

func (t *readTx) RedemptionByCode(ctx context.Context, code string) (loyalty.Redemption, error) {
	id, ok := t.s.redemptionCodes[code]
	if !ok {
		return loyalty.Redemption{}, notFound("redemption with code %q", code)
	}
	return t.Redemption(ctx, id)
}

func (t *readTx) RedemptionByKey(ctx context.Context, programID, key string) (loyalty.Redemption, error) {
	id, ok := t.s.redemptionKeys[movementKey{programID, key}]
	if !ok || key == "" {
		return loyalty.Redemption{}, notFound("redemption with idempotency key %q", key)
	}
	return t.Redemption(ctx, id)
}

func (t *readTx) LatestReceipt(_ context.Context, programID, store string, outcome loyalty.Outcome) (loyalty.Receipt, error) {
	if err := t.check(); err != nil {
		return loyalty.Receipt{}, err
	}
	all := t.s.receipts[programID]
	for i := len(all) - 1; i >= 0; i-- {
		if r := all[i]; r.Store == store && r.Outcome == outcome {
			return r, nil
		}
	}
	return loyalty.Receipt{}, notFound("%s receipt from %q", outcome, store)
}

func (t *readTx) Setting(_ context.Context, name string) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	v, ok := t.s.settings[name]
	if !ok {
		return nil, notFound("setting %q", name)
	}
	return slices.Clone(v), nil
}

func (t *readTx) ReservedRedemptions(_ context.Context, createdBefore time.Time, afterSeq int64, limit int) ([]loyalty.Redemption, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	var out []loyalty.Redemption
	for _, id := range t.s.redemptionOrder {
		r := t.s.redemptions[id]
		if r.Seq > afterSeq && r.State == loyalty.RedemptionReserved && r.CreatedAt.Before(createdBefore) {
			out = append(out, r)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

func (t *readTx) Activity(_ context.Context, programID string, p loyalty.Page) ([]loyalty.ActivityEntry, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return pageBefore(t.s.activity[programID], func(a loyalty.ActivityEntry) int64 { return a.Seq }, p), nil
}

func (t *readTx) Receipts(_ context.Context, programID string, outcome loyalty.Outcome, p loyalty.Page) ([]loyalty.Receipt, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	all := t.s.receipts[programID]
	if outcome == "" {
		return pageBefore(all, func(r loyalty.Receipt) int64 { return r.Seq }, p), nil
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 50
	}
	out := []loyalty.Receipt{}
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		if r := all[i]; (p.Before == 0 || r.Seq < p.Before) && r.Outcome == outcome {
			out = append(out, r)
		}
	}
	return out, nil
}

func (t *readTx) CountReceipts(_ context.Context, programID string, since time.Time) (loyalty.ReceiptCounts, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	counts := loyalty.ReceiptCounts{}
	for _, r := range t.s.receipts[programID] {
		if !r.ReceivedAt.Before(since) {
			counts[r.Outcome] += r.Count
		}
	}
	return counts, nil
}

// ---- writes

func (t *tx) nextSeq() int64 {
	prev := t.s.seq
	t.undo = append(t.undo, func() { t.s.seq = prev })
	t.s.seq++
	return t.s.seq
}

func (t *tx) PutProgram(_ context.Context, p loyalty.Program) error {
	if err := t.check(); err != nil {
		return err
	}
	old, existed := t.s.programs[p.ID]
	t.s.programs[p.ID] = p
	t.undo = append(t.undo, func() {
		if existed {
			t.s.programs[p.ID] = old
		} else {
			delete(t.s.programs, p.ID)
		}
	})
	return nil
}

func (t *tx) CreateMember(_ context.Context, m loyalty.Member) (loyalty.Member, error) {
	if err := t.check(); err != nil {
		return loyalty.Member{}, err
	}
	s := t.s
	if _, ok := s.members[m.ID]; ok || m.ID == "" {
		return loyalty.Member{}, duplicate("member id %q", m.ID)
	}
	if _, ok := s.memberByEmail[m.Email]; ok && m.Email != "" {
		return loyalty.Member{}, duplicate("member email")
	}
	if _, ok := s.memberByCode[m.Code]; ok || m.Code == "" {
		return loyalty.Member{}, duplicate("member code %q", m.Code)
	}
	prevNumber := s.memberNumber
	s.memberNumber++
	m.Number = s.memberNumber
	s.members[m.ID] = m
	if m.Email != "" {
		s.memberByEmail[m.Email] = m.ID
	}
	s.memberByCode[m.Code] = m.ID
	s.memberByNumber[m.Number] = m.ID
	t.undo = append(t.undo, func() {
		s.memberNumber = prevNumber
		delete(s.members, m.ID)
		if m.Email != "" {
			delete(s.memberByEmail, m.Email)
		}
		delete(s.memberByCode, m.Code)
		delete(s.memberByNumber, m.Number)
	})
	return m, nil
}

func (t *tx) UpdateMemberEmail(_ context.Context, id, email string) error {
	if err := t.check(); err != nil {
		return err
	}
	s := t.s
	m, ok := s.members[id]
	if !ok {
		return notFound("member %q", id)
	}
	if other, ok := s.memberByEmail[email]; ok && email != "" && other != id {
		return duplicate("member email")
	}
	old := m
	m.Email = email
	s.members[id] = m
	if old.Email != "" {
		delete(s.memberByEmail, old.Email)
	}
	if email != "" {
		s.memberByEmail[email] = id
	}
	t.undo = append(t.undo, func() {
		s.members[id] = old
		if email != "" {
			delete(s.memberByEmail, email)
		}
		if old.Email != "" {
			s.memberByEmail[old.Email] = id
		}
	})
	return nil
}

func (t *tx) CreateAccount(_ context.Context, a loyalty.Account) (loyalty.Account, error) {
	if err := t.check(); err != nil {
		return loyalty.Account{}, err
	}
	s := t.s
	k := accountKey{a.ProgramID, a.MemberID}
	if _, ok := s.accounts[k]; ok {
		return loyalty.Account{}, duplicate("account %q/%q", a.ProgramID, a.MemberID)
	}
	a.Seq = t.nextSeq()
	acct := &account{Account: a}
	s.accounts[k] = acct
	prevList := s.programAccounts[a.ProgramID]
	s.programAccounts[a.ProgramID] = append(prevList, acct)
	t.undo = append(t.undo, func() {
		delete(s.accounts, k)
		if len(prevList) == 0 {
			delete(s.programAccounts, a.ProgramID)
		} else {
			s.programAccounts[a.ProgramID] = prevList
		}
	})
	return a, nil
}

func (t *tx) AppendMovement(_ context.Context, m loyalty.Movement) (loyalty.Movement, error) {
	if err := t.check(); err != nil {
		return loyalty.Movement{}, err
	}
	s := t.s
	mk := movementKey{m.ProgramID, m.Key}
	if _, ok := s.movements[mk]; ok {
		return loyalty.Movement{}, duplicate("movement %q", m.Key)
	}
	acct, ok := s.accounts[accountKey{m.ProgramID, m.MemberID}]
	if !ok {
		return loyalty.Movement{}, notFound("account %q/%q", m.ProgramID, m.MemberID)
	}
	if acct.Balance != m.BalanceAfter-m.Applied {
		return loyalty.Movement{}, fmt.Errorf("memstore: account %q/%q balance is %d, not %d: %w",
			m.ProgramID, m.MemberID, acct.Balance, m.BalanceAfter-m.Applied, loyalty.ErrConflict)
	}
	m.Seq = t.nextSeq()
	prev := *acct
	acct.movements = append(acct.movements, m)
	acct.Balance, acct.UpdatedAt = m.BalanceAfter, m.CreatedAt
	s.movements[mk] = m
	t.undo = append(t.undo, func() {
		*acct = prev
		delete(s.movements, mk)
	})
	return m, nil
}

func (t *tx) CreateOrderState(_ context.Context, o loyalty.OrderState) error {
	if err := t.check(); err != nil {
		return err
	}
	k := orderKey{o.ProgramID, o.Store, o.OrderID}
	if _, ok := t.s.orders[k]; ok {
		return duplicate("order %q from %q", o.OrderID, o.Store)
	}
	t.s.orders[k] = o
	t.undo = append(t.undo, func() { delete(t.s.orders, k) })
	return nil
}

func (t *tx) UpdateOrderState(_ context.Context, o loyalty.OrderState) error {
	if err := t.check(); err != nil {
		return err
	}
	k := orderKey{o.ProgramID, o.Store, o.OrderID}
	old, ok := t.s.orders[k]
	if !ok {
		return notFound("order %q from %q", o.OrderID, o.Store)
	}
	t.s.orders[k] = o
	t.undo = append(t.undo, func() { t.s.orders[k] = old })
	return nil
}

func (t *tx) CreateRedemption(_ context.Context, r loyalty.Redemption) (loyalty.Redemption, error) {
	if err := t.check(); err != nil {
		return loyalty.Redemption{}, err
	}
	s := t.s
	if _, ok := s.redemptions[r.ID]; ok || r.ID == "" {
		return loyalty.Redemption{}, duplicate("redemption %q", r.ID)
	}
	if _, ok := s.redemptionCodes[r.Code]; ok || r.Code == "" {
		return loyalty.Redemption{}, duplicate("coupon code %q", r.Code)
	}
	key := movementKey{r.ProgramID, r.IdempotencyKey}
	if _, ok := s.redemptionKeys[key]; ok && r.IdempotencyKey != "" {
		return loyalty.Redemption{}, duplicate("redemption idempotency key %q", r.IdempotencyKey)
	}
	r.Seq = t.nextSeq()
	s.redemptions[r.ID] = r
	s.redemptionCodes[r.Code] = r.ID
	if r.IdempotencyKey != "" {
		s.redemptionKeys[key] = r.ID
	}
	n := len(s.redemptionOrder)
	s.redemptionOrder = append(s.redemptionOrder, r.ID)
	t.undo = append(t.undo, func() {
		delete(s.redemptions, r.ID)
		delete(s.redemptionCodes, r.Code)
		if r.IdempotencyKey != "" {
			delete(s.redemptionKeys, key)
		}
		s.redemptionOrder = s.redemptionOrder[:n]
	})
	return r, nil
}

func (t *tx) UpdateRedemption(_ context.Context, r loyalty.Redemption, from loyalty.RedemptionState) error {
	if err := t.check(); err != nil {
		return err
	}
	old, ok := t.s.redemptions[r.ID]
	if !ok {
		return notFound("redemption %q", r.ID)
	}
	if old.State != from {
		return fmt.Errorf("memstore: redemption %q is %s, not %s: %w", r.ID, old.State, from, loyalty.ErrConflict)
	}
	r.Seq, r.Code, r.IdempotencyKey = old.Seq, old.Code, old.IdempotencyKey // immutable
	t.s.redemptions[r.ID] = r
	t.undo = append(t.undo, func() { t.s.redemptions[r.ID] = old })
	return nil
}

func (t *tx) AppendActivity(_ context.Context, a loyalty.ActivityEntry) error {
	if err := t.check(); err != nil {
		return err
	}
	a.Seq = t.nextSeq()
	appendUndoable(t, t.s.activity, a.ProgramID, a)
	return nil
}

func (t *tx) AppendReceipt(_ context.Context, r loyalty.Receipt) error {
	if err := t.check(); err != nil {
		return err
	}
	r.Seq, r.Count = t.nextSeq(), max(r.Count, 1)
	appendUndoable(t, t.s.receipts, r.ProgramID, r)
	return nil
}

func (t *tx) AddReceiptCount(_ context.Context, seq int64, n int, at time.Time) error {
	if err := t.check(); err != nil {
		return err
	}
	for _, rs := range t.s.receipts {
		i, ok := slices.BinarySearchFunc(rs, seq, func(r loyalty.Receipt, seq int64) int { return cmp.Compare(r.Seq, seq) })
		if !ok {
			continue
		}
		old := rs[i]
		rs[i].Count += n
		rs[i].LastAt = at.UTC()
		t.undo = append(t.undo, func() { rs[i] = old })
		return nil
	}
	return notFound("receipt %d", seq)
}

func (t *tx) Prune(_ context.Context, programID string, before time.Time, limit int) (loyalty.PruneCounts, error) {
	if err := t.check(); err != nil {
		return loyalty.PruneCounts{}, err
	}
	var c loyalty.PruneCounts
	c.Receipts = pruneUndoable(t, t.s.receipts, programID, limit, func(r loyalty.Receipt) bool { return r.ReceivedAt.Before(before) })
	c.Activity = pruneUndoable(t, t.s.activity, programID, limit, func(a loyalty.ActivityEntry) bool { return a.At.Before(before) })
	return c, nil
}

// pruneUndoable deletes the first limit entries of m[key] that old reports, and says how
// many.
func pruneUndoable[T any](t *tx, m map[string][]T, key string, limit int, old func(T) bool) int {
	prev := m[key]
	n := 0
	kept := slices.DeleteFunc(slices.Clone(prev), func(v T) bool {
		if n < limit && old(v) {
			n++
			return true
		}
		return false
	})
	if len(kept) == len(prev) {
		return 0
	}
	m[key] = kept
	t.undo = append(t.undo, func() { m[key] = prev })
	return len(prev) - len(kept)
}

func (t *tx) CreateSetting(_ context.Context, name string, value []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if _, ok := t.s.settings[name]; ok {
		return duplicate("setting %q", name)
	}
	t.s.settings[name] = slices.Clone(value)
	t.undo = append(t.undo, func() { delete(t.s.settings, name) })
	return nil
}

func appendUndoable[T any](t *tx, m map[string][]T, key string, v T) {
	n := len(m[key])
	m[key] = append(m[key], v)
	t.undo = append(t.undo, func() { m[key] = m[key][:n] })
}
