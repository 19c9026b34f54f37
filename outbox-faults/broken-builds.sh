#!/usr/bin/env bash
# Shows that the fault suite can fail: builds deliberately broken versions of the product and runs
# the short profile against each, expecting a non-zero exit and the finding named below. Run it
# before trusting a change to the suite's checks (it takes about ten minutes). The consumer's case
# needs the PostgreSQL restart fault, so set FAULTS_POSTGRES_RESTART (README, "Fault suite"):
#
#   ./mvnw -B -q install -DskipTests
#   FAULTS_POSTGRES_RESTART="pg_ctlcluster --skip-systemctl-redirect 15 main restart -m fast" \
#     bash outbox-faults/broken-builds.sh [name ...]
#
# Names: published-before-ack, lease-off, consumer-commits-first (default: all three).
# Each patch applies to the current checkout in a scratch worktree; one whose context has moved
# fails to apply and says so. Results go to outbox-faults/target/broken-builds/<name>.log.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/outbox-faults/target/broken-builds
mkdir -p "$out"
status=0
wanted=" ${*:-published-before-ack lease-off consumer-commits-first} "

# run_suite NAME EXPECTED [VAR=value ...]: runs the short profile, expects it to fail with EXPECTED
run_suite() {
  local name=$1 expected=$2
  shift 2
  echo "broken build '$name': running the short profile (expecting: $expected)"
  env "$@" ./mvnw -B -q -pl outbox-faults exec:java@faults > "$out/$name.log" 2>&1
  local code=$?
  if [ "$code" -ne 0 ] && grep -q "$expected" "$out/$name.log"; then
    echo "  caught: exit $code; $(grep -m1 "$expected" "$out/$name.log" | sed 's/^ *//')"
  else
    echo "  NOT CAUGHT: exit $code (see $out/$name.log)"
    status=1
  fi
}

# build_patched NAME MODULE: a scratch worktree of HEAD with the patch applied, MODULE packaged
build_patched() {
  local name=$1 module=$2 tree=$out/tree-$1
  git worktree remove --force "$tree" >/dev/null 2>&1 || true
  git worktree add -q --detach "$tree" HEAD
  (cd "$tree" && git apply "$root/outbox-faults/broken-builds/$name.patch" &&
    ./mvnw -B -q -o -DskipTests -Dspotless.check.skip -Dforbiddenapis.skip package -pl "$module" -am) \
    > "$out/$name-build.log" 2>&1 || { echo "  $name: patch or build failed ($out/$name-build.log)"; return 1; }
  echo "$tree"
}

# 1. The relay records a batch as published (stores its position past it) when it sent it, before
#    Kafka acknowledged it, and keeps it so when Kafka fails it: a broker outage loses those
#    events (the mark-before-ack of the days when the relay marked rows).
if [[ $wanted != *" published-before-ack "* ]]; then
  :
elif tree=$(build_patched published-before-ack outbox-relay | tail -n 1) && [ -d "$tree" ]; then
  run_suite published-before-ack "lost .*FAIL" \
    FAULTS_RELAY_JAR="$tree/outbox-relay/target/outbox-relay-0.1.0-SNAPSHOT.jar"
else
  status=1
fi

# 2. Two relays claim at once (the lease off): a key's events can be in flight on both.
if [[ $wanted == *" lease-off "* ]]; then
  run_suite lease-off "order, first delivery.*FAIL" OUTBOX_EXCLUSIVE=false
fi

# 3. The consumer commits its offsets before its transaction: a transaction that fails while
#    PostgreSQL restarts skips its events.
if [[ $wanted != *" consumer-commits-first "* ]]; then
  :
elif [ -z "${FAULTS_POSTGRES_RESTART:-}" ]; then
  echo "broken build 'consumer-commits-first': NOT RUN, it needs FAULTS_POSTGRES_RESTART"
  status=1
elif tree=$(build_patched consumer-commits-first sample-order-service | tail -n 1) && [ -d "$tree" ]; then
  run_suite consumer-commits-first "projection .*FAIL" \
    FAULTS_SHOP_JAR="$tree/sample-order-service/target/sample-order-service-0.1.0-SNAPSHOT.jar"
else
  status=1
fi

for tree in "$out"/tree-*; do
  [ -d "$tree" ] && git worktree remove --force "$tree"
done
git worktree prune
exit $status
