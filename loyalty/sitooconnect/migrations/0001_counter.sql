-- sitooconnect's tables, portable SQL for SQLite and PostgreSQL: TEXT, BIGINT and INTEGER
-- columns, times as Unix microseconds (0 is the zero time), sealed credentials as base64 text,
-- lists and addresses as JSON text, money as exact decimal text.
CREATE TABLE sitooconnect_connections (
	id            TEXT PRIMARY KEY,
	program_id    TEXT NOT NULL,
	account_id    BIGINT NOT NULL,
	base_url      TEXT NOT NULL,
	credentials   TEXT,
	paused        INTEGER NOT NULL DEFAULT 0,
	disconnected  INTEGER NOT NULL DEFAULT 0,
	watermark     BIGINT NOT NULL DEFAULT 0,
	connected_at  BIGINT NOT NULL,
	last_event_at BIGINT NOT NULL DEFAULT 0,
	updated_at    BIGINT NOT NULL,
	UNIQUE (program_id, account_id)
);

CREATE TABLE sitooconnect_profiles (
	program_id  TEXT NOT NULL,
	member_id   TEXT NOT NULL,
	name_first  TEXT NOT NULL,
	name_last   TEXT NOT NULL,
	mobile      TEXT NOT NULL,
	personal_id TEXT NOT NULL,
	gender      TEXT NOT NULL,
	address     TEXT NOT NULL,
	accepts     TEXT NOT NULL,
	consents    TEXT NOT NULL,
	updated_at  BIGINT NOT NULL,
	PRIMARY KEY (program_id, member_id)
);
CREATE INDEX sitooconnect_profiles_mobile ON sitooconnect_profiles (program_id, mobile);
CREATE INDEX sitooconnect_profiles_personal_id ON sitooconnect_profiles (program_id, personal_id);

CREATE TABLE sitooconnect_bonus_checks (
	id            TEXT PRIMARY KEY,
	program_id    TEXT NOT NULL,
	member_id     TEXT NOT NULL,
	redemption_id TEXT NOT NULL,
	points        BIGINT NOT NULL,
	value         TEXT NOT NULL,
	currency      TEXT NOT NULL,
	expires_at    BIGINT NOT NULL,
	redeemed_at   BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL
);
CREATE INDEX sitooconnect_bonus_checks_member ON sitooconnect_bonus_checks (program_id, member_id);

CREATE TABLE sitooconnect_seen_events (
	connection_id TEXT NOT NULL,
	event_id      TEXT NOT NULL,
	seen_at       BIGINT NOT NULL,
	PRIMARY KEY (connection_id, event_id)
);

-- position orders a connection's queue (arrival order).
CREATE TABLE sitooconnect_pending (
	connection_id TEXT NOT NULL,
	event_id      TEXT NOT NULL,
	position      BIGINT NOT NULL,
	eshop_id      BIGINT NOT NULL,
	order_id      BIGINT NOT NULL,
	state_changed TEXT NOT NULL,
	attempts      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	received_at   BIGINT NOT NULL,
	PRIMARY KEY (connection_id, event_id)
);
CREATE INDEX sitooconnect_pending_position ON sitooconnect_pending (connection_id, position);
