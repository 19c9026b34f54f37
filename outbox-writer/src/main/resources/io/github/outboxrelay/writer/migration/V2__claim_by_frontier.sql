-- The outbox table of io.github.outboxrelay, version 2: the relay claims without writing to each
-- row it publishes (docs/design/claim-frontier.md). Upgrades a version-1 table in place: no
-- rewrite, and rows already there keep their state (pending, published or parked).
-- Placeholder: outbox_table, the unqualified table name.

-- The transaction that wrote the row (or requeued it). The relay's claim tells rows that committed
-- after it passed them by this, against the snapshot it claimed in. NULL in rows written before
-- version 2, which the relay's first claim, from the start of the table, finds anyway.
ALTER TABLE ${outbox_table} ADD COLUMN txid xid8;
ALTER TABLE ${outbox_table} ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
CREATE INDEX ${outbox_table}_txid_idx ON ${outbox_table} (txid) WHERE txid IS NOT NULL;

-- Room on each page for the new version of every row the relay marks published, so that the mark
-- is a HOT update: no new index entries, and a third of the PostgreSQL CPU per event (measured with
-- outbox-benchmark/pgbench/claim.sh: 100% HOT at fillfactor 50, 40% at 70, none at 100). It
-- applies to pages written from now on; a table that deletes published rows
-- (outbox.published: delete) may set it back to 100.
ALTER TABLE ${outbox_table} SET (fillfactor = 50);

-- Version 1 found pending rows through this index. Its predicate names published_at, so keeping
-- it would make every mark a new row version with new index entries, and with nothing marked it
-- would index the whole history. The claim walks the primary key from its cursor instead.
DROP INDEX ${outbox_table}_pending_idx;

-- Where the active relay's claims have got to (one row; written by the lease holder). Rows outside
-- it are published, parked, or being published by that relay.
CREATE TABLE ${outbox_table}_relay_position (
    singleton   BOOLEAN     PRIMARY KEY DEFAULT true CHECK (singleton),
    cursor_seq  BIGINT      NOT NULL,
    latest_xmax xid8        NOT NULL,
    latest_xip  xid8[]      NOT NULL,
    floor_seq   BIGINT      NOT NULL,
    older_xmax  xid8        NOT NULL,
    older_xip   xid8[]      NOT NULL,
    reopened    BIGINT[]    NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- What waits to be published, as of the relay's last stored position (it stores it at least every
-- 100 ms while it works). For people and tests; the relay reads the table directly.
CREATE VIEW ${outbox_table}_pending AS
SELECT o.*
  FROM ${outbox_table} o
  LEFT JOIN ${outbox_table}_relay_position p ON true
 WHERE o.published_at IS NULL
   AND o.parked_at IS NULL
   AND (p.singleton IS NULL
        OR o.seq > p.cursor_seq
        OR o.seq = ANY (p.reopened)
        OR (o.seq <= p.floor_seq AND (o.txid >= p.latest_xmax OR o.txid = ANY (p.latest_xip)))
        OR (o.seq > p.floor_seq AND (o.txid >= p.older_xmax OR o.txid = ANY (p.older_xip))));
