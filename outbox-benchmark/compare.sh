#!/usr/bin/env bash
# Runs the benchmark against two builds of the relay, alternately, under the same harness and
# settings, so that their figures come from the same stretch of a noisy machine.
#
#   git worktree add /tmp/relay-before <commit> && (cd /tmp/relay-before && ./mvnw -B -q -DskipTests package -pl outbox-relay -am)
#   ./mvnw -B -q install -DskipTests
#   BEFORE_ROOT=/tmp/relay-before ROUNDS="1 2" bash outbox-benchmark/compare.sh
#
# Each run's table goes to outbox-benchmark/target/compare/<label>-<round>.log and its JSON beside
# it. Sizes default to a shorter run than the full benchmark (BENCH_* variables override them): one
# round per run (this script alternates the builds itself) and no Debezium (BENCH_DEBEZIUM=on adds it).
# BEFORE_RELAY_JAVA_OPTS and AFTER_RELAY_JAVA_OPTS set BENCH_RELAY_JAVA_OPTS per side, so one build
# can be compared with itself under two settings (BEFORE_ROOT=$PWD):
#
#   BEFORE_ROOT=$PWD BEFORE_RELAY_JAVA_OPTS=-Ddw.outbox.published=mark \
#     AFTER_RELAY_JAVA_OPTS=-Ddw.outbox.published=keep bash outbox-benchmark/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BEFORE_ROOT:?set BEFORE_ROOT to a checkout whose outbox-relay jar is built}"
out="$PWD/outbox-benchmark/target/compare"
mkdir -p "$out"
./mvnw -B -q -pl outbox-benchmark dependency:build-classpath -Dmdep.outputFile="$out/classpath"
classpath="$PWD/outbox-benchmark/target/classes:$(cat "$out/classpath")"
export BENCH_EVENTS="${BENCH_EVENTS:-500000}" BENCH_HISTORY_ROWS="${BENCH_HISTORY_ROWS:-0}"
export BENCH_WRITER_SECONDS="${BENCH_WRITER_SECONDS:-0}" BENCH_LATENCY_SECONDS="${BENCH_LATENCY_SECONDS:-10}"
export BENCH_REPEAT="${BENCH_REPEAT:-1}" BENCH_DEBEZIUM="${BENCH_DEBEZIUM:-off}"
for round in ${ROUNDS:-1 2}; do
  for label in before after; do
    root=$PWD
    opts=${AFTER_RELAY_JAVA_OPTS:-${BENCH_RELAY_JAVA_OPTS:-}}
    if [ "$label" = before ]; then
      root=$BEFORE_ROOT
      opts=${BEFORE_RELAY_JAVA_OPTS:-${BENCH_RELAY_JAVA_OPTS:-}}
    fi
    echo "round $round, $label ($root, relay options: ${opts:-none})"
    BENCH_RELAY_JAVA_OPTS="$opts" java -cp "$classpath" -Dbenchmark.root="$root" -Dbenchmark.version=0.1.0-SNAPSHOT \
      io.github.outboxrelay.benchmark.Benchmark > "$out/$label-$round.log" 2>&1
    cp "$root/outbox-benchmark/target/benchmark/results.json" "$out/$label-$round.json"
  done
done
