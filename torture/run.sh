#!/usr/bin/env bash
# The full torture run of issue 8: a 2,000-recipient distribution with at least 30 kill -9s of the worker, RPC faults and an
# outage through the chaos proxy, Redis and PostgreSQL restarts, stuck/dropped/underpriced transactions — each on its own
# PostgreSQL, Redis and anvil. Writes torture/target/torture/report.md (kills, faults by kind, duplicates, lost, wall time,
# seed) and prints it. Takes about 17 minutes on 2 cores (most of it the crash scenario, which kills until the end).
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
