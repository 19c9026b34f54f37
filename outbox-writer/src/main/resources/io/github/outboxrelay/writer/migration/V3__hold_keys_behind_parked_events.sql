-- The outbox table of io.github.outboxrelay, version 3: a parked event holds the later events of
-- its key (its topic and aggregate), so that none of them reaches Kafka before it. Upgrades a
-- version-2 table in place: new nullable columns (no rewrite) and two small partial indexes.
-- Placeholder: outbox_table, the unqualified table name.

-- The parked event a held row waits behind (its seq). A held row is parked too (parked_at set), so
-- every claim, the pending view and retention leave it alone; requeueing or skipping its parked
-- event releases it.
ALTER TABLE ${outbox_table} ADD COLUMN held_by BIGINT;

-- A parked event an operator chose to give up on: when, who and why. It stays parked (never
-- published, never deleted by retention) as the record of that choice, and holds nothing.
ALTER TABLE ${outbox_table} ADD COLUMN skipped_at TIMESTAMPTZ;
ALTER TABLE ${outbox_table} ADD COLUMN skipped_by TEXT;
ALTER TABLE ${outbox_table} ADD COLUMN skip_reason TEXT;

-- The parked events that hold their keys. Every claim reads them, so the index holds only them:
-- empty, the read costs next to nothing. Its predicate leaves out published_at, so marking a row
-- published stays a HOT update.
CREATE INDEX ${outbox_table}_holding_idx ON ${outbox_table} (seq)
    WHERE parked_at IS NOT NULL AND held_by IS NULL AND skipped_at IS NULL;

-- The rows each parked event holds, released together when it is requeued or skipped.
CREATE INDEX ${outbox_table}_held_idx ON ${outbox_table} (held_by) WHERE held_by IS NOT NULL;
