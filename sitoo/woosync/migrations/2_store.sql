-- The Syncer's Store (sitoo/woosync SQLStore): settings, mappings, sync timestamps, run log.
CREATE TABLE woosync_settings (
	id         INTEGER PRIMARY KEY, -- always 1: one configuration per database
	settings   TEXT    NOT NULL,    -- JSON of Settings, without credentials
	sealed     TEXT,                -- base64 of the sealed credentials; NULL once disconnected
	paused     INTEGER NOT NULL,
	updated_at BIGINT  NOT NULL     -- Unix microseconds, UTC
);
CREATE TABLE woosync_mappings (
	kind         TEXT   NOT NULL,
	woo_id       BIGINT NOT NULL,
	sitoo_id     BIGINT NOT NULL,
	mkey         TEXT   NOT NULL,
	woo_parent   BIGINT NOT NULL,
	sitoo_parent BIGINT NOT NULL,
	synced_at    BIGINT NOT NULL, -- Unix microseconds, UTC
	PRIMARY KEY (kind, woo_id),
	UNIQUE (kind, sitoo_id)
);
CREATE INDEX woosync_mappings_key ON woosync_mappings (kind, mkey);
CREATE TABLE woosync_timestamps (
	name TEXT   PRIMARY KEY,
	at   BIGINT NOT NULL -- Unix microseconds, UTC
);
CREATE TABLE woosync_runs (
	id        BIGINT  PRIMARY KEY,
	operation TEXT    NOT NULL,
	started   BIGINT  NOT NULL,
	finished  BIGINT  NOT NULL,
	done      INTEGER NOT NULL,
	skipped   INTEGER NOT NULL,
	failed    INTEGER NOT NULL,
	errors    TEXT    NOT NULL, -- JSON array of strings
	err       TEXT    NOT NULL
);
