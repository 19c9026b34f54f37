-- The sample shop's own tables. The outbox table comes from the writer library's migration.
CREATE TABLE products (
    id     TEXT    PRIMARY KEY,
    name   TEXT    NOT NULL,
    stock  INTEGER NOT NULL CHECK (stock >= 0)
);

CREATE TABLE orders (
    id           UUID        PRIMARY KEY,
    customer_id  TEXT        NOT NULL,
    product_id   TEXT        NOT NULL REFERENCES products (id),
    quantity     INTEGER     NOT NULL CHECK (quantity > 0),
    status       TEXT        NOT NULL,
    version      INTEGER     NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
