-- Channels: where the purchase behind an earn, welcome or refund movement was made (online,
-- counter), its source (store URL, counter) and the money amount behind it (purchase total,
-- negative refunded amount; exact decimal TEXT) for the amount-spent tier measure. Movements
-- from before read as channel '' (online), source '' (their store) and amount 0.
ALTER TABLE loyalty_movement ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE loyalty_movement ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE loyalty_movement ADD COLUMN amount TEXT NOT NULL DEFAULT '0';
