#!/usr/bin/env bash
# The Redis queue benchmark: Java (this adapter) and npm bullmq 6.7.0 side by side on the same Redis, medians of N rounds.
#   adapter-redis/bench.sh [jobs=20000] [rounds=3]
# Redis from REDIS_HOST / REDIS_PORT / REDIS_DB (default 127.0.0.1:6379/0); keys go under a random prefix and are deleted.
# Needs a JDK >= 21 (JAVA_HOME, else the Temurin 25 this machine has), Node 20+ and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
./mvnw -q -pl adapter-redis -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
if [ ! -d "$here/src/test/node/node_modules/bullmq" ]; then
  (cd "$here/src/test/node" && npm ci --no-audit --no-fund)
fi
classpath="$here/target/test-classes:$here/target/classes:$(cat "$here/target/bench.classpath")"
cd "$here"
exec "$JAVA_HOME/bin/java" -cp "$classpath" dev.basenft.adapter.redis.QueueBenchmark "$@"
