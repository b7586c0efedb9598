-- The last reconciled point of each connection: Reconcile walked every order modified before it
-- (Unix microseconds, 0 for never). Only RecordReconciled moves it, and only forward.
ALTER TABLE wooconnect_connections ADD COLUMN reconciled_through BIGINT NOT NULL DEFAULT 0;
