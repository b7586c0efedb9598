-- pointsync: the local site, the remote sites, the advanced settings, the queue of movements
-- to deliver to each remote and each remote's delivery record. Times are Unix microseconds
-- (0: none).
CREATE TABLE pointsync_settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE pointsync_remotes (
	sharing_key TEXT PRIMARY KEY,
	doc         TEXT NOT NULL
);
CREATE TABLE pointsync_queue (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	remote      TEXT NOT NULL,
	movement_id TEXT NOT NULL,
	movement    TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	enqueued_at INTEGER NOT NULL,
	lease       TEXT NOT NULL DEFAULT '',
	expires     INTEGER NOT NULL DEFAULT 0,
	UNIQUE (remote, movement_id)
);
CREATE INDEX pointsync_queue_lease ON pointsync_queue (remote, lease);
CREATE TABLE pointsync_state (
	remote          TEXT PRIMARY KEY,
	failures        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	last_error_at   INTEGER NOT NULL DEFAULT 0,
	last_success_at INTEGER NOT NULL DEFAULT 0,
	delivered       INTEGER NOT NULL DEFAULT 0
);
