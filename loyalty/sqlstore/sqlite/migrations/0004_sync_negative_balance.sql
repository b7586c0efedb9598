-- An account balance may go below zero, but only through movements applied from another
-- site's points synchronisation (a double spend: see loyalty/pointsyncconnect); the engine's
-- own debits still stop at zero. SQLite cannot drop a CHECK constraint, so the table is
-- rebuilt under the same name: the movements' foreign keys are checked at commit, after the
-- rows are back.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE loyalty_account_copy AS SELECT * FROM loyalty_account;
DROP TABLE loyalty_account;
CREATE TABLE loyalty_account (
	seq        INTEGER PRIMARY KEY,
	program_id TEXT NOT NULL REFERENCES loyalty_program (id),
	member_id  TEXT NOT NULL REFERENCES loyalty_member (id),
	balance    INTEGER NOT NULL,
	joined_at  INTEGER,
	updated_at INTEGER,
	UNIQUE (program_id, member_id)
);
INSERT INTO loyalty_account SELECT * FROM loyalty_account_copy;
DROP TABLE loyalty_account_copy;
CREATE INDEX loyalty_account_program ON loyalty_account (program_id, seq);
