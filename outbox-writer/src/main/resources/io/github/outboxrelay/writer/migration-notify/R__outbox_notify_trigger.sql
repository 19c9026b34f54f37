-- Optional: wakes listening relays (outbox.listenNotify: true) as soon as a transaction that wrote
-- outbox rows commits, instead of at their next poll. Placeholders: outbox_table, the table name,
-- and outbox_notify_channel, the channel the relays listen on.
--
-- One NOTIFY per statement, not per row; PostgreSQL folds identical notifications of one
-- transaction into one and delivers them only at commit, so rolled-back writes wake no one.

CREATE OR REPLACE FUNCTION ${outbox_table}_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('${outbox_notify_channel}', '');
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS ${outbox_table}_notify ON ${outbox_table};

CREATE TRIGGER ${outbox_table}_notify
    AFTER INSERT ON ${outbox_table}
    FOR EACH STATEMENT EXECUTE FUNCTION ${outbox_table}_notify();
