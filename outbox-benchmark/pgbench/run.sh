#!/usr/bin/env bash
# Where the writer's overhead goes: the order transaction of the writer-overhead benchmark, run by
# pgbench (8 clients, prepared statements) with one extra piece of work each, against the plain
# transaction. Usage: bash outbox-benchmark/pgbench/run.sh [seconds per variant, default 15]
# Needs pgbench and a PostgreSQL at PGHOST/PGPORT/PGUSER/PGDATABASE (default 127.0.0.1, postgres, test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-15}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -q -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS pgb CASCADE"' EXIT
psql -q -v ON_ERROR_STOP=1 -f "$here/setup.sql" >/dev/null 2>&1

payload="'\\x$(printf '{"x":"%0250d"}' 0 | od -An -v -tx1 | tr -d ' \n')'::bytea"
outbox_values="(gen_random_uuid(), 'order', 'order-x', 'OrderPlaced', 'outbox.event.order', $payload, NULL)"
outbox_columns="(id, aggregatetype, aggregateid, type, topic, payload, headers)"

transaction() { # $1: name, $2: extra SQL before COMMIT ("" for none), $3: "pipeline" to send it with the COMMIT
  {
    echo '\set p random(1, 1000)'
    echo 'BEGIN;'
    echo "UPDATE pgb.products SET stock = stock - 1 WHERE id = 'product-' || :p AND stock >= 1;"
    echo "INSERT INTO pgb.orders (id, customer_id, product_id, quantity, status) VALUES (gen_random_uuid(), 'customer', 'product-' || :p, 1, 'PLACED');"
    if [ "${3:-}" = pipeline ]; then echo '\startpipeline'; fi
    if [ -n "$2" ]; then echo "$2"; fi
    echo 'COMMIT;'
    if [ "${3:-}" = pipeline ]; then echo '\endpipeline'; fi
  } >"$work/$1.sql"
}

transaction base ""
transaction select_1 "SELECT 1;"
transaction heap_only "INSERT INTO pgb.heap_only VALUES (gen_random_uuid(), $payload);"
transaction outbox_no_indexes "INSERT INTO pgb.outbox_no_indexes $outbox_columns VALUES $outbox_values;"
transaction outbox_pending_index "INSERT INTO pgb.outbox_pending_index $outbox_columns VALUES $outbox_values;"
transaction outbox_seq_pk "INSERT INTO pgb.outbox_seq_pk $outbox_columns VALUES $outbox_values;"
transaction outbox_no_on_conflict "INSERT INTO pgb.outbox $outbox_columns VALUES $outbox_values;"
transaction outbox_as_shipped "INSERT INTO pgb.outbox $outbox_columns VALUES $outbox_values ON CONFLICT (id) DO NOTHING;"
transaction second_order "INSERT INTO pgb.orders (id, customer_id, product_id, quantity, status) VALUES (gen_random_uuid(), 'customer', 'product-' || :p, 1, 'PLACED');"
transaction outbox_with_commit "INSERT INTO pgb.outbox $outbox_columns VALUES $outbox_values ON CONFLICT (id) DO NOTHING;" pipeline

latency() { # prints the mean latency in ms, or fails with pgbench's errors
  local mean
  mean=$(pgbench -n -M prepared -c 8 -j 2 -T "$seconds" -f "$work/$1.sql" 2>"$work/$1.err" \
    | awk '/latency average/ {print $4}')
  if [ -z "$mean" ]; then cat "$work/$1.err" >&2; return 1; fi
  echo "$mean"
}
base=$(latency base)
printf '%-24s %10s %8s\n' variant 'mean ms' '× base'
printf '%-24s %10s %8s\n' base "$base" 1.00
for variant in select_1 heap_only outbox_no_indexes outbox_pending_index outbox_seq_pk \
  outbox_no_on_conflict outbox_as_shipped second_order outbox_with_commit; do
  mean=$(latency "$variant")
  awk -v v="$variant" -v m="$mean" -v b="$base" 'BEGIN { printf "%-24s %10s %8.2f\n", v, m, m / b }'
done
