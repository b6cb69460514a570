#!/usr/bin/env bash
# The full torture run of issues 8 and 17: a 2,000-recipient distribution with at least 30 kill -9s of two worker processes,
# RPC faults and an outage through the chaos proxy (two worker processes), Redis and PostgreSQL restarts,
# stuck/dropped/underpriced transactions, then 600-recipient runs with an unknown fate, a nonce gap, fee spikes, reorgs
# (chain id 84532) and a lagging failover node — each on its own PostgreSQL, Redis and anvil, JOB_ATTEMPTS at its default.
# Writes torture/target/torture/report.md (kills, faults by kind, duplicates, lost, nonces used / batches / fillers,
# FAILED batches that minted, wall time, seed) and prints it. The crash scenario alone kills until the end (about 15 min).
# Usage: torture/run.sh [-Dtorture.seed=N] [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bin/find-jdk)
export JAVA_HOME
echo "torture/run.sh: using JDK at $JAVA_HOME"
status=0
# `test`, not `verify`: only the torture scenarios run; the upstream modules are compiled, their tests are filtered out.
./mvnw -B -ntp test -pl torture -am -Dtest=TortureTest -Dsurefire.failIfNoSpecifiedTests=false -Dtorture.full=true "$@" \
  || status=$?
report=torture/target/torture/report.md
if [[ -f $report ]]; then
  echo
  cat "$report"
  echo "torture/run.sh: report at $report"
fi
exit $status
