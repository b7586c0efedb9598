-- pointsync: the local site, the remote sites, the advanced settings, the queue of movements
-- to deliver to each remote and each remote's delivery record. Times are Unix microseconds
-- (0: none).
CREATE TABLE pointsync_settings (
	name  text PRIMARY KEY,
	value text NOT NULL
);
CREATE TABLE pointsync_remotes (
	sharing_key text PRIMARY KEY,
	doc         text NOT NULL
);
CREATE TABLE pointsync_queue (
	seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	remote      text NOT NULL,
	movement_id text NOT NULL,
	movement    text NOT NULL,
	attempts    bigint NOT NULL DEFAULT 0,
	enqueued_at bigint NOT NULL,
	lease       text NOT NULL DEFAULT '',
	expires     bigint NOT NULL DEFAULT 0,
	UNIQUE (remote, movement_id)
);
CREATE INDEX pointsync_queue_lease ON pointsync_queue (remote, lease);
CREATE TABLE pointsync_state (
	remote          text PRIMARY KEY,
	failures        bigint NOT NULL DEFAULT 0,
	last_error      text NOT NULL DEFAULT '',
	last_error_at   bigint NOT NULL DEFAULT 0,
	last_success_at bigint NOT NULL DEFAULT 0,
	delivered       bigint NOT NULL DEFAULT 0
);
