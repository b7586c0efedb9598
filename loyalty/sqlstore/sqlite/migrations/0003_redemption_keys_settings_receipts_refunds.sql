-- A redemption remembers its idempotency key: a program has at most one redemption per key.
ALTER TABLE loyalty_redemption ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX loyalty_redemption_key ON loyalty_redemption (program_id, idempotency_key)
	WHERE idempotency_key <> '';

-- Installation settings, such as the secret coupon codes are derived with; written once.
CREATE TABLE loyalty_setting (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;

-- A receipt may stand for a burst of failed deliveries: how many, and when the last came.
ALTER TABLE loyalty_receipt ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
ALTER TABLE loyalty_receipt ADD COLUMN last_at INTEGER;

-- The part of an order's refunded total that no points were taken back for (see
-- loyalty.OrderState.RefundExempt).
ALTER TABLE loyalty_order_state ADD COLUMN refund_exempt TEXT NOT NULL DEFAULT '0';
