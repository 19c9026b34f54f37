-- Idempotency-Key header of POST /orders: a retried request returns the order the first one placed.
CREATE TABLE idempotency_keys (
    key           TEXT        PRIMARY KEY,
    request_hash  TEXT        NOT NULL,
    order_id      UUID        REFERENCES orders (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
