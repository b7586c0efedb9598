-- Pushes to remotes that take no idempotency key (WooRewards): the intent is written before the
-- request (with the member's balance just before), done is 1 once the remote accepted it. A row
-- is deleted with its movement's queue entry (SQLStore.Ack), or with the remote's queue (Purge).
CREATE TABLE pointsync_pushes (
	remote        text NOT NULL,
	movement_id   text NOT NULL,
	email         text NOT NULL,
	pool          text NOT NULL,
	points        bigint NOT NULL,
	before_points bigint NOT NULL,
	done          bigint NOT NULL DEFAULT 0,
	after_points  bigint NOT NULL DEFAULT 0,
	at            bigint NOT NULL,
	PRIMARY KEY (remote, movement_id)
);
