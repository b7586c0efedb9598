package sqlcore

import (
	"fmt"
	"strings"
)

// Column lists, in the order the scan functions read them. Queries select exactly these.
const (
	MemberColumns     = "number, id, code, email, name, language, source, created_at"
	AccountColumns    = "seq, program_id, member_id, balance, joined_at, updated_at"
	MovementColumns   = "seq, program_id, member_id, idempotency_key, kind, requested, applied, balance_after, reason, store, order_id, redemption_id, created_at, channel, source, amount"
	OrderColumns      = "program_id, store, order_id, member_id, status, total, currency, earned_points, welcome_points, clawed_back, refunded_total, refunded, awarded_at, updated_at, refund_exempt"
	RedemptionColumns = "seq, id, program_id, member_id, email, points, value, currency, code, state, coupon_id, failure, attempts, actor, created_at, expires_at, updated_at, idempotency_key"
	ActivityColumns   = "seq, program_id, kind, actor, message, member_id, store, order_id, redemption_id, at"
	ReceiptColumns    = "seq, program_id, store, order_id, status, outcome, reason, email_hash, received_at, occurrences, last_at"
)

// Queries holds the SQL texts of a dialect. Placeholders are $1, $2, ... in both SQLite and
// PostgreSQL. The comments give the arguments in order; "seq" marks the argument that is only
// passed when Dialect.NextSeq is set.
type Queries struct {
	// Program (id) → doc; Programs () → doc, ordered by id; PutProgram (id, doc) upserts.
	Program, Programs, PutProgram string

	// Member* select MemberColumns by id, normalised email (never matching ''), code, number.
	Member, MemberByEmail, MemberByCode, MemberByNumber string
	// CreateMember (id, code, email, name, language, source, created_at) → number; no row when
	// a unique key is taken.
	CreateMember string
	// UpdateMemberEmail (id, email); no change when there is no such member.
	UpdateMemberEmail string

	// Account (program, member) → AccountColumns; AccountForUpdate is its read-write
	// transaction variant (row-locking backends add FOR UPDATE).
	Account, AccountForUpdate string
	// AccountBalance (program, member) → balance.
	AccountBalance string
	// InsertAccount (program, member, balance, joined_at, updated_at[, seq]) [→ seq]; no row
	// or no change when it exists.
	InsertAccount string
	// Memberships (program, before, limit) → AccountColumns then MemberColumns, newest first.
	Memberships string

	// Movement (program, key) → MovementColumns; Movements (program, member, before, limit).
	Movement, Movements string
	// AppendMovement (program, member, key, kind, requested, applied, balance_after, reason,
	// store, order_id, redemption_id, created_at, old balance) → (seq or NULL, updated 0/1):
	// inserts the movement and sets the balance if the stored one is the old balance.
	AppendMovement string
	// InsertMovement (program, member, key, kind, requested, applied, balance_after, reason,
	// store, order_id, redemption_id, created_at[, seq]) [→ seq] inserts the movement unless
	// its key is taken; UpdateBalance (program, member, balance, updated_at, old balance) then
	// sets the balance if it is the old one. Used when Dialect.SplitMovement is set.
	InsertMovement, UpdateBalance string
	// DeleteMovement (seq) takes back a movement whose balance update failed.
	DeleteMovement string

	// OrderState (program, store, order) → OrderColumns; OrderStateForUpdate locks it.
	OrderState, OrderStateForUpdate string
	// CreateOrderState (OrderColumns) inserts, nothing when it exists; UpdateOrderState
	// (OrderColumns) replaces by the first three.
	CreateOrderState, UpdateOrderState string

	// Redemption (id) and RedemptionByCode (code) → RedemptionColumns; the ForUpdate variants
	// lock the row.
	Redemption, RedemptionByCode, RedemptionForUpdate, RedemptionByCodeForUpdate string
	// RedemptionByKey (program, key) → RedemptionColumns.
	RedemptionByKey string
	// ReservedRedemptions (created_before, after_seq, limit), oldest first.
	ReservedRedemptions string
	// InsertRedemption (RedemptionColumns without seq[, seq]) [→ seq]; nothing when the id or
	// code is taken.
	InsertRedemption string
	// UpdateRedemption (id, from state, program, member, email, points, value, currency, state,
	// coupon_id, failure, attempts, actor, created_at, expires_at, updated_at).
	UpdateRedemption string
	// RedemptionState (id) → state.
	RedemptionState string

	// Activity (program, before, limit); InsertActivity (ActivityColumns without seq[, seq]).
	Activity, InsertActivity string

	// Receipts (program, before, limit); ReceiptsByOutcome (program, outcome, before, limit);
	// CountReceipts (program, since) → (outcome, sum of occurrences); InsertReceipt
	// (ReceiptColumns without seq[, seq]).
	Receipts, ReceiptsByOutcome, CountReceipts, InsertReceipt string
	// LatestReceipt (program, store, outcome) → ReceiptColumns; AddReceiptCount (seq, n,
	// last_at).
	LatestReceipt, AddReceiptCount string
	// PruneReceipts and PruneActivity (program, before, limit) delete the oldest older rows.
	PruneReceipts, PruneActivity string

	// Setting (name) → value; CreateSetting (name, value), nothing when it exists.
	Setting, CreateSetting string
}

// CommonQueries returns the queries SQLite and PostgreSQL share. The dialect fills in the
// rest: the inserts that assign Seq, the movement append and the ForUpdate variants.
func CommonQueries() *Queries {
	const (
		member     = "SELECT " + MemberColumns + " FROM loyalty_member WHERE "
		account    = "SELECT " + AccountColumns + " FROM loyalty_account WHERE program_id = $1 AND member_id = $2"
		movement   = "SELECT " + MovementColumns + " FROM loyalty_movement WHERE "
		order      = "SELECT " + OrderColumns + " FROM loyalty_order_state WHERE program_id = $1 AND store = $2 AND order_id = $3"
		redemption = "SELECT " + RedemptionColumns + " FROM loyalty_redemption WHERE "
		receipt    = "SELECT " + ReceiptColumns + " FROM loyalty_receipt WHERE program_id = $1 AND "
	)
	return &Queries{
		Program:    "SELECT doc FROM loyalty_program WHERE id = $1",
		Programs:   "SELECT doc FROM loyalty_program ORDER BY id",
		PutProgram: "INSERT INTO loyalty_program (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",

		Member:         member + "id = $1",
		MemberByEmail:  member + "email = $1 AND email <> ''",
		MemberByCode:   member + "code = $1",
		MemberByNumber: member + "number = $1",
		CreateMember: "INSERT INTO loyalty_member (id, code, email, name, language, source, created_at) " +
			"VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING number",
		UpdateMemberEmail: "UPDATE loyalty_member SET email = $2 WHERE id = $1",

		Account:          account,
		AccountForUpdate: account,
		AccountBalance:   "SELECT balance FROM loyalty_account WHERE program_id = $1 AND member_id = $2",
		Memberships: "SELECT a.seq, a.program_id, a.member_id, a.balance, a.joined_at, a.updated_at, " +
			"m.number, m.id, m.code, m.email, m.name, m.language, m.source, m.created_at " +
			"FROM loyalty_account a JOIN loyalty_member m ON m.id = a.member_id " +
			"WHERE a.program_id = $1 AND a.seq < $2 ORDER BY a.seq DESC LIMIT $3",

		Movement:  movement + "program_id = $1 AND idempotency_key = $2",
		Movements: movement + "program_id = $1 AND member_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4",
		UpdateBalance: "UPDATE loyalty_account SET balance = $3, updated_at = $4 " +
			"WHERE program_id = $1 AND member_id = $2 AND balance = $5",
		DeleteMovement: "DELETE FROM loyalty_movement WHERE seq = $1",

		OrderState:          order,
		OrderStateForUpdate: order,
		CreateOrderState: "INSERT INTO loyalty_order_state (" + OrderColumns + ") " +
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING",
		UpdateOrderState: "UPDATE loyalty_order_state SET member_id = $4, status = $5, total = $6, currency = $7, " +
			"earned_points = $8, welcome_points = $9, clawed_back = $10, refunded_total = $11, refunded = $12, " +
			"awarded_at = $13, updated_at = $14, refund_exempt = $15 WHERE program_id = $1 AND store = $2 AND order_id = $3",

		Redemption:                redemption + "id = $1",
		RedemptionByCode:          redemption + "code = $1",
		RedemptionForUpdate:       redemption + "id = $1",
		RedemptionByCodeForUpdate: redemption + "code = $1",
		RedemptionByKey:           redemption + "program_id = $1 AND idempotency_key = $2 AND idempotency_key <> ''",
		ReservedRedemptions:       redemption + "state = 'reserved' AND created_at < $1 AND seq > $2 ORDER BY seq LIMIT $3",
		UpdateRedemption: "UPDATE loyalty_redemption SET program_id = $3, member_id = $4, email = $5, points = $6, " +
			"value = $7, currency = $8, state = $9, coupon_id = $10, failure = $11, attempts = $12, actor = $13, " +
			"created_at = $14, expires_at = $15, updated_at = $16 WHERE id = $1 AND state = $2",
		RedemptionState: "SELECT state FROM loyalty_redemption WHERE id = $1",

		Activity: "SELECT " + ActivityColumns + " FROM loyalty_activity " +
			"WHERE program_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",

		Receipts:          receipt + "seq < $2 ORDER BY seq DESC LIMIT $3",
		ReceiptsByOutcome: receipt + "outcome = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4",
		CountReceipts: "SELECT outcome, sum(occurrences) FROM loyalty_receipt WHERE program_id = $1 AND received_at >= $2 " +
			"GROUP BY outcome",
		LatestReceipt:   receipt + "store = $2 AND outcome = $3 ORDER BY seq DESC LIMIT 1",
		AddReceiptCount: "UPDATE loyalty_receipt SET occurrences = occurrences + $2, last_at = $3 WHERE seq = $1",
		PruneReceipts: "DELETE FROM loyalty_receipt WHERE seq IN " +
			"(SELECT seq FROM loyalty_receipt WHERE program_id = $1 AND received_at < $2 ORDER BY seq LIMIT $3)",
		PruneActivity: "DELETE FROM loyalty_activity WHERE seq IN " +
			"(SELECT seq FROM loyalty_activity WHERE program_id = $1 AND at < $2 ORDER BY seq LIMIT $3)",

		Setting:       "SELECT value FROM loyalty_setting WHERE name = $1",
		CreateSetting: "INSERT INTO loyalty_setting (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
	}
}

// Insert returns an INSERT of columns (a comma-separated list) into table. With seqLast, Seq
// is the last argument; otherwise the database assigns it and the statement returns it. A
// unique key that is taken makes it insert nothing.
func Insert(table, columns string, seqLast bool) string {
	n := strings.Count(columns, ",") + 1
	if seqLast {
		columns += ", seq"
		n++
	}
	ph := make([]string, n)
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	q := "INSERT INTO " + table + " (" + columns + ") VALUES (" + strings.Join(ph, ", ") + ") ON CONFLICT DO NOTHING"
	if !seqLast {
		q += " RETURNING seq"
	}
	return q
}

// Column lists of the inserts that assign Seq, in the argument order of sqlcore's writes.
const (
	InsertAccountColumns    = "program_id, member_id, balance, joined_at, updated_at"
	InsertMovementColumns   = "program_id, member_id, idempotency_key, kind, requested, applied, balance_after, reason, store, order_id, redemption_id, created_at, channel, source, amount"
	InsertRedemptionColumns = "id, program_id, member_id, email, points, value, currency, code, state, coupon_id, failure, attempts, actor, created_at, expires_at, updated_at, idempotency_key"
	InsertActivityColumns   = "program_id, kind, actor, message, member_id, store, order_id, redemption_id, at"
	InsertReceiptColumns    = "program_id, store, order_id, status, outcome, reason, email_hash, received_at, occurrences, last_at"
)
