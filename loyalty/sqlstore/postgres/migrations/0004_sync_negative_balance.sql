-- An account balance may go below zero, but only through movements applied from another
-- site's points synchronisation (a double spend: see loyalty/pointsyncconnect); the engine's
-- own debits still stop at zero.
ALTER TABLE loyalty_account DROP CONSTRAINT IF EXISTS loyalty_account_balance_check;
