-- wooconnect's tables, portable SQL for SQLite and PostgreSQL: TEXT, BIGINT and INTEGER
-- columns, times as Unix microseconds (0 is the zero time), sealed credentials as base64 text.
-- IF NOT EXISTS adopts the tables of a database set up by the earlier, separate migrator, whose
-- version table wooconnect_schema is dropped.
CREATE TABLE IF NOT EXISTS wooconnect_connections (
	id               TEXT PRIMARY KEY,
	program_id       TEXT NOT NULL,
	store_url        TEXT NOT NULL,
	credentials      TEXT,
	webhook_id       BIGINT NOT NULL DEFAULT 0,
	manual_reason    TEXT NOT NULL DEFAULT '',
	paused           INTEGER NOT NULL DEFAULT 0,
	disconnected     INTEGER NOT NULL DEFAULT 0,
	connected_at     BIGINT NOT NULL,
	processing_since BIGINT NOT NULL,
	last_delivery_at BIGINT NOT NULL DEFAULT 0,
	updated_at       BIGINT NOT NULL,
	UNIQUE (program_id, store_url)
);

CREATE TABLE IF NOT EXISTS wooconnect_email_optouts (
	program_id TEXT NOT NULL,
	member_id  TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (program_id, member_id)
);

DROP TABLE IF EXISTS wooconnect_schema;
