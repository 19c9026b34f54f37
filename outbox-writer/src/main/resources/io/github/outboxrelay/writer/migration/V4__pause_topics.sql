-- The outbox table of io.github.outboxrelay, version 4: publishing can be paused, whole or per
-- topic, and stays paused across restarts of the relays. Adds one small table.
-- Placeholder: outbox_table, the unqualified table name.

-- What is paused: a topic, or '*' for everything. While a topic is paused the relay holds its
-- events (parked_at set, held_by 0) instead of publishing them; resuming releases them in write
-- order. While everything is paused the relay claims nothing.
CREATE TABLE ${outbox_table}_relay_pause (
    topic     TEXT        PRIMARY KEY,
    paused_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    paused_by TEXT        NOT NULL
);
