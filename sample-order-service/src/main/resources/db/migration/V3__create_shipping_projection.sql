-- The downstream consumer's side: a shipping projection built from OrderPlaced/OrderCancelled,
-- and the ids of the events it has processed (its de-duplication record). Both are written in one
-- transaction, so an event's effect and its "processed" mark commit together.
CREATE TABLE processed_events (
    event_id      UUID        PRIMARY KEY,
    event_type    TEXT        NOT NULL,
    outcome       TEXT        NOT NULL,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE shipments (
    order_id      UUID        PRIMARY KEY,
    customer_id   TEXT        NOT NULL,
    product_id    TEXT        NOT NULL,
    quantity      INTEGER     NOT NULL,
    status        TEXT        NOT NULL,
    placed_at     TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
