#!/usr/bin/env bash
# Benchmark of GET /api/campaigns/{id}: BenchmarkServer in one JVM, wrk (another process) on loopback.
# Usage (from the repository root):
#   adapter-http-javalin/bench/get-campaign.sh [seconds=30] [connections=64] [reuse|fresh] [pace-ms=0]
#   reuse: one Quick Auth token for every request, as the mini app SDK sends it (verified once, then remembered)
#   fresh: a token the server has never seen on every request (full Ed25519 verification each time: the worst case)
#   pace-ms > 0 (reuse only): each connection waits that long between requests, for latency at a set load instead of
#     flat out; e.g. 36 connections and 10 ms offer about 3,300 requests/s
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-30}
CONNECTIONS=${2:-64}
MODE=${3:-reuse}
PACE_MS=${4:-0}
JAVA_HOME=${JAVA_HOME:-$(bin/find-jdk)}
export JAVA_HOME
OUT=adapter-http-javalin/target/bench
rm -rf "$OUT" && mkdir -p "$OUT"
DISTINCT=1
[ "$MODE" = fresh ] && DISTINCT=120000

./mvnw -q -o -pl adapter-http-javalin -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
CP=adapter-http-javalin/target/test-classes:adapter-http-javalin/target/classes:$(cat adapter-http-javalin/target/test.classpath)

"$JAVA_HOME/bin/java" -Xms512m -Xmx512m -cp "$CP" dev.basenft.adapter.http.javalin.BenchmarkServer 0 "$OUT" "$DISTINCT" \
  > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -f "$OUT/ready" ] && break; sleep 0.2; done
[ -f "$OUT/ready" ] || { echo "server did not start; see $OUT/server.log"; exit 1; }
URL=$(cat "$OUT/url")
AUTH="Authorization: Bearer $(cat "$OUT/token")"
curl -sf -H "$AUTH" "$URL" > /dev/null || { echo "GET $URL failed"; exit 1; }

echo "warm-up: 10 s"
wrk -t2 -c"$CONNECTIONS" -d10s -H "$AUTH" "$URL" > /dev/null
echo "measured: ${SECONDS_RUN} s, ${CONNECTIONS} connections, 2 wrk threads, tokens: $MODE, pace: ${PACE_MS} ms"
if [ "$PACE_MS" != 0 ]; then
  PACE_MS=$PACE_MS wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s adapter-http-javalin/bench/paced.lua \
    -H "$AUTH" "$URL"
elif [ "$MODE" = fresh ]; then
  TOKENS="$OUT/tokens" WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency \
    -s adapter-http-javalin/bench/fresh-tokens.lua "$URL"
else
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "$AUTH" "$URL"
fi
