-- loyalsync schema for SQLite. Times are Unix microseconds (NULL is the zero time), decimals
-- are TEXT in their exact decimal form, booleans are 0/1.

-- Seq values (accounts, movements, redemptions, activity, receipts) come from one increasing
-- sequence for the whole store: each write transaction continues from the highest Seq of
-- these tables, which are all rowid tables keyed by seq so that the highest is cheap to find.

-- A program is kept as the JSON of loyalty.Program, so new settings need no migration.
CREATE TABLE loyalty_program (
	id  TEXT PRIMARY KEY,
	doc TEXT NOT NULL
) WITHOUT ROWID;

-- number is the rowid: SQLite assigns max(number) + 1.
CREATE TABLE loyalty_member (
	number     INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	code       TEXT NOT NULL UNIQUE,
	email      TEXT NOT NULL,
	name       TEXT NOT NULL,
	language   TEXT NOT NULL,
	source     TEXT NOT NULL,
	created_at INTEGER
);
CREATE UNIQUE INDEX loyalty_member_email ON loyalty_member (email) WHERE email <> '';

CREATE TABLE loyalty_account (
	seq        INTEGER PRIMARY KEY,
	program_id TEXT NOT NULL REFERENCES loyalty_program (id),
	member_id  TEXT NOT NULL REFERENCES loyalty_member (id),
	balance    INTEGER NOT NULL CHECK (balance >= 0),
	joined_at  INTEGER,
	updated_at INTEGER,
	UNIQUE (program_id, member_id)
);
CREATE INDEX loyalty_account_program ON loyalty_account (program_id, seq);

CREATE TABLE loyalty_movement (
	seq             INTEGER PRIMARY KEY,
	program_id      TEXT NOT NULL,
	member_id       TEXT NOT NULL,
	idempotency_key TEXT NOT NULL,
	kind            TEXT NOT NULL,
	requested       INTEGER NOT NULL,
	applied         INTEGER NOT NULL,
	balance_after   INTEGER NOT NULL,
	reason          TEXT NOT NULL,
	store           TEXT NOT NULL,
	order_id        TEXT NOT NULL,
	redemption_id   TEXT NOT NULL,
	created_at      INTEGER,
	UNIQUE (program_id, idempotency_key),
	FOREIGN KEY (program_id, member_id) REFERENCES loyalty_account (program_id, member_id)
);
CREATE INDEX loyalty_movement_account ON loyalty_movement (program_id, member_id, seq);

CREATE TABLE loyalty_order_state (
	program_id     TEXT NOT NULL,
	store          TEXT NOT NULL,
	order_id       TEXT NOT NULL,
	member_id      TEXT NOT NULL,
	status         TEXT NOT NULL,
	total          TEXT NOT NULL,
	currency       TEXT NOT NULL,
	earned_points  INTEGER NOT NULL,
	welcome_points INTEGER NOT NULL,
	clawed_back    INTEGER NOT NULL,
	refunded_total TEXT NOT NULL,
	refunded       INTEGER NOT NULL,
	awarded_at     INTEGER,
	updated_at     INTEGER,
	PRIMARY KEY (program_id, store, order_id)
) WITHOUT ROWID;

CREATE TABLE loyalty_redemption (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	program_id TEXT NOT NULL,
	member_id  TEXT NOT NULL,
	email      TEXT NOT NULL,
	points     INTEGER NOT NULL,
	value      TEXT NOT NULL,
	currency   TEXT NOT NULL,
	code       TEXT NOT NULL UNIQUE,
	state      TEXT NOT NULL,
	coupon_id  TEXT NOT NULL,
	failure    TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	actor      TEXT NOT NULL,
	created_at INTEGER,
	expires_at INTEGER,
	updated_at INTEGER
);
CREATE INDEX loyalty_redemption_reserved ON loyalty_redemption (seq) WHERE state = 'reserved';

CREATE TABLE loyalty_activity (
	seq           INTEGER PRIMARY KEY,
	program_id    TEXT NOT NULL,
	kind          TEXT NOT NULL,
	actor         TEXT NOT NULL,
	message       TEXT NOT NULL,
	member_id     TEXT NOT NULL,
	store         TEXT NOT NULL,
	order_id      TEXT NOT NULL,
	redemption_id TEXT NOT NULL,
	at            INTEGER
);
CREATE INDEX loyalty_activity_program ON loyalty_activity (program_id, seq);

CREATE TABLE loyalty_receipt (
	seq         INTEGER PRIMARY KEY,
	program_id  TEXT NOT NULL,
	store       TEXT NOT NULL,
	order_id    TEXT NOT NULL,
	status      TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	reason      TEXT NOT NULL,
	email_hash  TEXT NOT NULL,
	received_at INTEGER
);
CREATE INDEX loyalty_receipt_program ON loyalty_receipt (program_id, seq);
CREATE INDEX loyalty_receipt_outcome ON loyalty_receipt (program_id, outcome, seq);
CREATE INDEX loyalty_receipt_received ON loyalty_receipt (program_id, received_at, outcome);
