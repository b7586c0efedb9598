-- Scheduler leases: one row per task while an instance runs it (sitoo/woosync Leases).
CREATE TABLE woosync_leases (
	name       TEXT PRIMARY KEY,
	owner      TEXT NOT NULL,
	expires_at BIGINT NOT NULL -- Unix microseconds, UTC
);
