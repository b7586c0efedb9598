-- Channels: where the purchase behind an earn, welcome or refund movement was made (online,
-- counter), its source (store URL, counter) and the money amount behind it (purchase total,
-- negative refunded amount) for the amount-spent tier measure. Movements from before read as
-- channel '' (online), source '' (their store) and amount 0.
ALTER TABLE loyalty_movement
	ADD COLUMN channel text NOT NULL DEFAULT '',
	ADD COLUMN source  text NOT NULL DEFAULT '',
	ADD COLUMN amount  numeric NOT NULL DEFAULT 0;
