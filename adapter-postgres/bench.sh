#!/usr/bin/env bash
# Recipient ingest benchmark: Recipients.addAll (COPY) against naive one-INSERT-per-row, 100k and 1M rows, in a JVM capped
# at -Xmx256m (HEAP overrides) so "fits in 256 MB" is proven, not estimated. Uses DATABASE_URL when set, else an embedded PostgreSQL.
#   adapter-postgres/bench.sh                 # 100000 and 1000000 rows; naive on 100000 only
#   adapter-postgres/bench.sh 100000          # chosen sizes
#   NAIVE_MAX=1000000 adapter-postgres/bench.sh   # naive at 1M too (minutes)
#   REPEAT=5 adapter-postgres/bench.sh        # each measurement 5 times, then a table of medians
#   HEAP=48m NAIVE_MAX=0 adapter-postgres/bench.sh 1000000   # a smaller heap cap, to show the ingest does not grow
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
# One reactor run: compiles core and the adapter, then writes the test classpath (core resolved from the reactor, so
# nothing has to be installed first). Each module writes the file in turn; adapter-postgres, built last, wins.
./mvnw -q -pl adapter-postgres -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$here/target/bench.classpath"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" -Xmx"${HEAP:-256m}" -Dnaive.max="${NAIVE_MAX:-100000}" -Drepeat="${REPEAT:-1}" \
  -cp "$here/target/test-classes:$here/target/classes:$(cat "$here/target/bench.classpath")" \
  dev.basenft.adapter.postgres.bench.IngestBenchmark "$@"
