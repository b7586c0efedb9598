-- Batch ids seen from each origin, shared by the instances that serve one site (see
-- SQLStore.Begin): done is 1 once applied; rows are forgotten after until_us.
CREATE TABLE pointsync_replay (
	origin   text NOT NULL,
	batch_id text NOT NULL,
	until_us bigint NOT NULL,
	done     bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (origin, batch_id)
);
CREATE INDEX pointsync_replay_until ON pointsync_replay (until_us);
