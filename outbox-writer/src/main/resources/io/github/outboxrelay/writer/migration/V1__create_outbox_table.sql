-- The outbox table of io.github.outboxrelay (writer and relay), version 1.
-- Placeholder: outbox_table, the unqualified table name (default "outbox"). The schema is the
-- migration tool's default schema (Flyway: defaultSchema / schemas).

CREATE TABLE ${outbox_table} (
    -- Claim order. An identity is allocated at insert, not at commit, so a relay must not treat
    -- it as a high-water mark: it claims every unpublished row, whatever its number.
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Envelope, with Debezium's outbox column names.
    id             UUID         NOT NULL,
    aggregatetype  VARCHAR(255) NOT NULL,
    aggregateid    VARCHAR(255) NOT NULL,
    type           VARCHAR(255) NOT NULL,
    topic          VARCHAR(249) NOT NULL,
    payload        BYTEA        NOT NULL,
    headers        JSONB,
    -- Reserved for key-ordered claiming across several relays (NULL means: use aggregateid).
    partition_key  VARCHAR(255),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Delivery state, owned by the relay.
    published_at   TIMESTAMPTZ,
    attempts       INTEGER      NOT NULL DEFAULT 0,
    last_error     TEXT,
    parked_at      TIMESTAMPTZ,
    CONSTRAINT ${outbox_table}_id_key UNIQUE (id),
    CONSTRAINT ${outbox_table}_attempts_check CHECK (attempts >= 0),
    CONSTRAINT ${outbox_table}_headers_check CHECK (headers IS NULL OR jsonb_typeof(headers) = 'object')
);

-- The relay's claim query reads this index only: it holds just the rows still to publish, so it
-- stays small and cheap however much published history the table keeps.
CREATE INDEX ${outbox_table}_pending_idx ON ${outbox_table} (seq)
    WHERE published_at IS NULL AND parked_at IS NULL;

-- Listing and requeueing parked (dead-lettered) events.
CREATE INDEX ${outbox_table}_parked_idx ON ${outbox_table} (seq)
    WHERE parked_at IS NOT NULL;

COMMENT ON TABLE ${outbox_table} IS
    'Transactional outbox: events written with business changes, published to Kafka by the relay';
