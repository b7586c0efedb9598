-- Seen event ids are pruned by age (Connector.RunOnce).
CREATE INDEX sitooconnect_seen_events_at ON sitooconnect_seen_events (seen_at);
