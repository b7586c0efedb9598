-- Pushes to remotes that take no idempotency key (WooRewards): the intent is written before the
-- request (with the member's balance just before), done is 1 once the remote accepted it. A row
-- is deleted with its movement's queue entry (SQLStore.Ack), or with the remote's queue (Purge).
CREATE TABLE pointsync_pushes (
	remote        TEXT NOT NULL,
	movement_id   TEXT NOT NULL,
	email         TEXT NOT NULL,
	pool          TEXT NOT NULL,
	points        INTEGER NOT NULL,
	before_points INTEGER NOT NULL,
	done          INTEGER NOT NULL DEFAULT 0,
	after_points  INTEGER NOT NULL DEFAULT 0,
	at            INTEGER NOT NULL,
	PRIMARY KEY (remote, movement_id)
);
