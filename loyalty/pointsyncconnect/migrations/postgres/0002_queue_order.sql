-- Leases read a remote's oldest rows first: in seq order through an index, not by sorting
-- the whole backlog.
CREATE INDEX pointsync_queue_order ON pointsync_queue (remote, seq);
