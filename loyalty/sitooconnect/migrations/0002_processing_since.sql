-- When processing last started (connect or resume): a refund applies its sale first only when
-- the sale was made since then, so sales from before connecting or from a paused period are
-- never back-filled.
ALTER TABLE sitooconnect_connections ADD COLUMN processing_since BIGINT NOT NULL DEFAULT 0;
