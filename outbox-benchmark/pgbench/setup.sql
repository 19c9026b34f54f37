-- Tables for run.sh: the order transaction's tables, the outbox as shipped, and variants of the
-- outbox with fewer indexes, to show where the writer's overhead goes.
DROP SCHEMA IF EXISTS pgb CASCADE; CREATE SCHEMA pgb; SET search_path=pgb;
CREATE TABLE products (id TEXT PRIMARY KEY, stock INTEGER NOT NULL CHECK (stock >= 0));
CREATE TABLE orders (id UUID PRIMARY KEY, customer_id TEXT NOT NULL, product_id TEXT NOT NULL REFERENCES products (id), quantity INTEGER NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
INSERT INTO products SELECT 'product-' || g, 1000000000 FROM generate_series(1,1000) g;
CREATE TABLE outbox (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id UUID NOT NULL, aggregatetype VARCHAR(255) NOT NULL, aggregateid VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL, topic VARCHAR(249) NOT NULL, payload BYTEA NOT NULL, headers JSONB, partition_key VARCHAR(255), created_at TIMESTAMPTZ NOT NULL DEFAULT now(), published_at TIMESTAMPTZ, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, parked_at TIMESTAMPTZ, CONSTRAINT outbox_id_key UNIQUE (id));
CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_parked_idx ON outbox (seq) WHERE parked_at IS NOT NULL;
CREATE TABLE outbox_no_indexes (LIKE outbox INCLUDING DEFAULTS);
ALTER TABLE outbox_no_indexes ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
CREATE TABLE outbox_pending_index (LIKE outbox_no_indexes INCLUDING DEFAULTS INCLUDING IDENTITY);
CREATE INDEX ON outbox_pending_index (seq) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE TABLE outbox_seq_pk (LIKE outbox_no_indexes INCLUDING DEFAULTS INCLUDING IDENTITY);
ALTER TABLE outbox_seq_pk ADD PRIMARY KEY (seq);
CREATE INDEX ON outbox_seq_pk (seq) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE TABLE heap_only (id uuid, payload bytea);
