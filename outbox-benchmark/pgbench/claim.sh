#!/usr/bin/env bash
# What one relayed event costs PostgreSQL, claim and mark alone (no Kafka), for the shipped claim
# and the alternatives issue 11 weighs: rows/s, WAL bytes per row and PostgreSQL CPU per million
# rows, each variant draining the same N rows in batches of B, one client, as the relay does
# (claim, then mark by seq array, one transaction per batch). Variants: shipped (the relay's claim
# and mark), shipped-delete (its claim, then outbox.published: delete), and three with the lock-free
# frontier claim of docs/design/claim-frontier.md: hot (a HOT mark), delete, none (nothing per row).
# Usage: bash outbox-benchmark/pgbench/claim.sh [rows, default 400000] [batch, default 2000] [variants...]
# Needs pgbench and a PostgreSQL at PGHOST/PGPORT/PGUSER/PGDATABASE (default 127.0.0.1, postgres,
# test) whose postgres processes this user can read in /proc (same machine).
set -euo pipefail
rows=${1:-400000}
batch=${2:-2000}
shift 2 || true
variants=${*:-shipped shipped-delete hot delete none}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -q -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS pgc CASCADE"' EXIT
columns="id UUID NOT NULL, aggregatetype VARCHAR(255) NOT NULL, aggregateid VARCHAR(255) NOT NULL,
  type VARCHAR(255) NOT NULL, topic VARCHAR(249) NOT NULL, payload BYTEA NOT NULL, headers JSONB,
  partition_key VARCHAR(255), created_at TIMESTAMPTZ NOT NULL DEFAULT now(), published_at TIMESTAMPTZ,
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, parked_at TIMESTAMPTZ"

create_table() { # $1: variant
  case $1 in
    shipped | shipped-delete)
      echo "CREATE TABLE pgc.outbox (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, $columns,
        CONSTRAINT outbox_id_key UNIQUE (id));
        CREATE INDEX ON pgc.outbox (seq) WHERE published_at IS NULL AND parked_at IS NULL;
        CREATE INDEX ON pgc.outbox (seq) WHERE parked_at IS NOT NULL;" ;;
    *)
      echo "CREATE TABLE pgc.outbox (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, $columns,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(), CONSTRAINT outbox_id_key UNIQUE (id))
        WITH (fillfactor = ${FILLFACTOR:-50});
        CREATE INDEX ON pgc.outbox (txid);
        CREATE INDEX ON pgc.outbox (seq) WHERE parked_at IS NOT NULL;
        CREATE TABLE pgc.progress (name TEXT PRIMARY KEY, seq BIGINT, snap_xmax xid8, snap_xip xid8[]);
        INSERT INTO pgc.progress VALUES ('outbox', 0, pg_current_xact_id(), '{}');" ;;
  esac
}

# The claim: the shipped one locks the oldest pending rows through the partial index; the frontier
# claim (every other variant) reads without locks, in a repeatable-read snapshot, the rows that
# were invisible to the previous claim's snapshot below its cursor, then the rows above the cursor.
frontier_claim="SELECT pg_snapshot_xmax(s)::text AS next_xmax,
  (SELECT coalesce(array_agg(x)::text, '{}') FROM pg_snapshot_xip(s) x) AS next_xip
  FROM pg_current_snapshot() s \gset
SELECT coalesce(max(seq), :c) AS next_c, array_agg(seq)::text AS seqs FROM (
  SELECT seq FROM (
    (SELECT seq, payload FROM pgc.outbox
      WHERE (txid = ANY(':xip'::xid8[]) OR txid >= ':xmax'::xid8)
        AND seq <= :c AND published_at IS NULL AND parked_at IS NULL ORDER BY seq LIMIT $batch)
    UNION ALL
    (SELECT seq, payload FROM pgc.outbox WHERE seq > :c AND published_at IS NULL AND parked_at IS NULL
      ORDER BY seq LIMIT $batch)) t ORDER BY seq LIMIT $batch) claimed \gset"

script() { # $1: variant
  case $1 in
    shipped | shipped-delete)
      local mark="UPDATE pgc.outbox SET published_at = statement_timestamp() WHERE seq = ANY(':seqs'::bigint[]);"
      if [ "$1" = shipped-delete ]; then mark="DELETE FROM pgc.outbox WHERE seq = ANY(':seqs'::bigint[]);"; fi
      echo "BEGIN;
SELECT array_agg(seq)::text AS seqs FROM (SELECT seq, payload FROM pgc.outbox
  WHERE published_at IS NULL AND parked_at IS NULL ORDER BY seq LIMIT $batch FOR UPDATE SKIP LOCKED) t \gset
$mark
COMMIT;" ;;
    hot | delete | none)
      local mark
      case $1 in
        hot) mark="UPDATE pgc.outbox SET published_at = statement_timestamp() WHERE seq = ANY(':seqs'::bigint[]);" ;;
        delete) mark="DELETE FROM pgc.outbox WHERE seq = ANY(':seqs'::bigint[]);" ;;
        none) mark="UPDATE pgc.progress SET seq = :next_c, snap_xmax = ':next_xmax'::xid8, snap_xip = ':next_xip'::xid8[] WHERE name = 'outbox';" ;;
      esac
      echo "BEGIN ISOLATION LEVEL REPEATABLE READ;
$frontier_claim
$mark
COMMIT;
SELECT :next_c AS c, ':next_xmax' AS xmax, ':next_xip' AS xip \gset" ;;
  esac
}

fill() {
  psql -q -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
INSERT INTO pgc.outbox (id, aggregatetype, aggregateid, type, topic, payload)
  SELECT gen_random_uuid(), 'order', 'order-' || (g % 10000), 'OrderPlaced', 'bench.events',
         convert_to('{"orderId":"' || lpad(g::text, 12, '0') || '","pad":"' || repeat('x', 209) || '"}', 'UTF8')
  FROM generate_series(1, $rows) g;
VACUUM ANALYZE pgc.outbox;
CHECKPOINT;
SQL
}

postgres_cpu_ticks() { # utime+stime of every live postgres process, plus what exited children left
  local total=0 pid stat
  for pid in $(pgrep -u postgres -x postgres); do
    stat=$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + $(awk '{print $12 + $13}' <<<"$stat")))
    if [ "$pid" = "$(pgrep -u postgres -x postgres -o)" ]; then
      total=$((total + $(awk '{print $14 + $15}' <<<"$stat")))
    fi
  done
  echo "$total"
}

printf '%-8s %9s %12s %14s %10s\n' variant 'rows/s' 'WAL B/row' 'CPU s/M rows' 'HOT %'
for variant in $variants; do
  psql -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
    -c "DROP SCHEMA IF EXISTS pgc CASCADE" -c "CREATE SCHEMA pgc" -c "$(create_table "$variant")"
  fill
  script "$variant" >"$work/$variant.sql"
  lsn=$(psql -Atc "SELECT pg_current_wal_lsn()")
  cpu=$(postgres_cpu_ticks)
  start=$(date +%s.%N)
  pgbench -n -M simple -c 1 -t $((rows / batch)) -D c=0 -D xip={} -D "xmax=$(psql -Atc 'SELECT pg_snapshot_xmax(pg_current_snapshot())')" \
    -f "$work/$variant.sql" >"$work/$variant.out" 2>&1 || { cat "$work/$variant.out" >&2; exit 1; }
  end=$(date +%s.%N)
  cpu_after=$(postgres_cpu_ticks)
  wal=$(psql -Atc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn')")
  if [ -n "${WALSTATS:-}" ]; then # what the WAL holds, by record type (needs to read pg_wal)
    /usr/lib/postgresql/*/bin/pg_waldump --stats=record -p "$(psql -Atc 'SHOW data_directory')/pg_wal" \
      -s "$lsn" -e "$(psql -Atc 'SELECT pg_current_wal_lsn()')" 2>/dev/null | sort -k5 -n -r -t' ' | head -12 >&2
  fi
  left=$(psql -Atc "SELECT count(*) FROM pgc.outbox WHERE published_at IS NULL")
  if [ "$variant" = none ]; then left=0; fi
  hot=$(psql -Atc "SELECT CASE WHEN n_tup_upd = 0 THEN '-' ELSE round(100.0 * n_tup_hot_upd / n_tup_upd)::text END FROM pg_stat_user_tables WHERE schemaname = 'pgc' AND relname = 'outbox'")
  if [ "$left" != 0 ] && [ "${variant#*-}" != delete ] && [ "$variant" != delete ]; then echo "$variant left $left rows unmarked" >&2; exit 1; fi
  awk -v v="$variant" -v n="$rows" -v s="$start" -v e="$end" -v w="$wal" -v c=$((cpu_after - cpu)) -v h="$hot" \
    -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%-8s %9.0f %12.0f %14.1f %10s\n", v, n / (e - s), w / n, c / hz / n * 1e6, h }'
done
