#!/usr/bin/env bash
# Benchmark (issue 6, item 5) — not a test: GET /api/campaigns/{id} under load from another process (wrk) on loopback,
# against the real `server` command over the machine's PostgreSQL and Redis. Prints req/s and p99 per round and their
# medians. See app/bench/README.md for what it sets up, the knobs, and the figures measured so far.
#
# Usage: app/bench/get-campaign.sh        (from anywhere; BENCH_JAR=path/to/base-nft-app.jar skips the build)
set -euo pipefail
cd "$(dirname "$0")/../.."

ADMIN_URL=${BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}   # where the bench database is created
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}     # a database number of its own: the server only reads queue counts
WARMUP=${BENCH_WARMUP:-30}          # seconds of load whose figures are thrown away (JIT, pool, caches)
ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-15}      # seconds per round
THREADS=${BENCH_THREADS:-2}         # wrk threads
CONNECTIONS=${BENCH_CONNECTIONS:-32}
RATE=${BENCH_RATE:-}                # requests/s in total: paced (coordinated-omission-corrected) mode, needs wrk2
RECIPIENTS=${BENCH_RECIPIENTS:-10000}
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
SERVER_ENV=${BENCH_SERVER_ENV:-}    # extra server environment, e.g. "DATABASE_POOL_SIZE=8 BASE_NFT_LOG_LEVEL=WARN"

die() { echo "get-campaign.sh: $*" >&2; exit 1; }
for tool in psql curl python3; do command -v "$tool" >/dev/null || die "$tool is needed"; done

if [[ -n "$RATE" ]]; then
  command -v wrk2 >/dev/null || die "BENCH_RATE needs wrk2 (paced load); unset it to run wrk flat out"
  WRK=(wrk2 -R "$RATE")
else
  if ! command -v wrk >/dev/null; then
    echo "get-campaign.sh: installing wrk" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
  fi
  WRK=(wrk)
fi

JAVA_HOME=$(bin/find-jdk)
jar=${BENCH_JAR:-}
if [[ -z "$jar" ]]; then
  echo "get-campaign.sh: building the application (JDK at $JAVA_HOME)" >&2
  JAVA_HOME=$JAVA_HOME ./mvnw -B -ntp -q -pl app -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
  jar=app/target/base-nft-app.jar
fi
[[ -f "$jar" ]] || die "no jar at $jar"

work=$(mktemp -d)
db=basenft_bench_$$
server_pid=""; rpc_pid=""
cleanup() {
  # Runs under set -e: every step tolerates failure (a process already gone, a signal's exit status from wait) so the
  # database is always dropped. Only the processes this script started are stopped, by their pid.
  local status=$?
  set +e
  [[ -n "$server_pid" ]] && { kill "$server_pid"; wait "$server_pid"; } 2>/dev/null
  [[ -n "$rpc_pid" ]] && { kill "$rpc_pid"; wait "$rpc_pid"; } 2>/dev/null
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  rm -rf "$work"
  return "$status"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A fresh database on the machine's server, dropped at the end.
psql -q -v ON_ERROR_STOP=1 "$ADMIN_URL" -c "CREATE DATABASE $db" >/dev/null
db_url=$(python3 - "$ADMIN_URL" "$db" <<'PY'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1]); print(urllib.parse.urlunsplit(u._replace(path="/" + sys.argv[2])))
PY
)

# The server checks at start that its RPC serves CHAIN_ID, and a GET of a campaign never touches the chain: a stub that
# answers eth_chainId is all it needs (readiness would report the missing factory, which the bench does not ask for).
rpc_port=$(free_port)
python3 - "$rpc_port" >"$work/rpc.log" 2>&1 <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        one = lambda r: {"jsonrpc": "2.0", "id": r.get("id"),
                         **({"result": "0x2105"} if r.get("method") == "eth_chainId"
                            else {"error": {"code": -32601, "message": "bench stub: not served"}})}
        body = json.dumps([one(r) for r in req] if isinstance(req, list) else one(req)).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
rpc_pid=$!

port=$(free_port)
# anvil's well-known dev account 1: a valid key whose address is DEPLOYER_ADDRESS; it never signs anything here.
# Dev auth is allowed with exactly these two settings (docs/architecture.md#authentication); a Quick Auth JWT is verified once and then cached by
# token, so the per-request cost measured is the same.
server_env=(DATABASE_URL="$db_url" REDIS_URL="$REDIS" BASE_RPC_URL="http://127.0.0.1:$rpc_port" CHAIN_ID=8453
  FACTORY_ADDRESS=0x5FbDB2315678afecb367f032d93F642f64180aa3 DEPLOYER_ADDRESS=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
  MINTER_PRIVATE_KEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d APP_DOMAIN=bench.localhost
  APP_ENV=development ALLOW_DEV_AUTH=true PORT="$port")
# shellcheck disable=SC2206 # word splitting of the knobs is intended
env "${server_env[@]}" $SERVER_ENV "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$jar" server >"$work/server.log" 2>&1 &
server_pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 1 120); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited"; }
  sleep 0.5
done
curl -fsS "$base/health" >/dev/null || { tail -50 "$work/server.log" >&2; die "the server did not answer /health"; }

# Seed through the API (campaign, recipient upload), then plan batches in SQL in the mix a campaign in progress has —
# completed, failed, in flight, queued, and recipients not yet planned — so the summary counts every status.
auth=(-H "Authorization: Bearer dev:1")
id=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -H "Idempotency-Key: bench-create-$$" \
  -d '{"name":"Bench drop","symbol":"BENCH","description":"seeded by app/bench/get-campaign.sh","baseUri":"ipfs://bench/"}' \
  "$base/api/campaigns" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
python3 - "$RECIPIENTS" >"$work/recipients.csv" <<'PY'
import random, sys
r = random.Random(6)
print("address,fid")
for i in range(int(sys.argv[1])):
    print("0x%040x,%d" % (r.getrandbits(160) | 1, i + 1))
PY
curl -fsS "${auth[@]}" -H 'Content-Type: text/csv' -H "Idempotency-Key: bench-upload-$$" \
  --data-binary @"$work/recipients.csv" "$base/api/campaigns/$id/recipients" >/dev/null
psql -q -v ON_ERROR_STOP=1 "$db_url" -v c="$id" >/dev/null <<'SQL'
UPDATE campaigns SET contract = '\x5fbdb2315678afecb367f032d93f642f64180aa3', status = 'PROCESSING' WHERE id = :'c';
-- 90 % of the recipients planned in batches of 200, in upload order; the rest stay PENDING.
WITH numbered AS (
    SELECT address, (row_number() OVER (ORDER BY seq) - 1) / 200 AS bi, count(*) OVER () AS total
    FROM recipients WHERE campaign_id = :'c'),
planned AS (
    SELECT bi, array_agg(address ORDER BY address) AS addrs FROM numbered
    WHERE bi < (total * 9 / 10) / 200 GROUP BY bi)
INSERT INTO batches (id, campaign_id, batch_index, batch_key, recipients, status, attempts, run, wallet, nonce, error,
                     updated_at)
SELECT gen_random_uuid(), :'c', bi, sha256(convert_to(:'c' || '/' || bi, 'UTF8')), addrs,
       s.status, 1, 0, '\x70997970c51812dc3a010c7d01b50e0d17dc79c8', bi,
       CASE WHEN s.status = 'FAILED' THEN 'execution reverted' END, now()
FROM planned, LATERAL (SELECT CASE WHEN bi % 10 < 6 THEN 'COMPLETED' WHEN bi % 10 = 6 THEN 'FAILED'
                                   WHEN bi % 10 = 7 THEN 'SUBMITTED' WHEN bi % 10 = 8 THEN 'PROCESSING'
                                   ELSE 'PENDING' END AS status) s;
UPDATE recipients r
SET status = CASE b.status WHEN 'COMPLETED' THEN 'COMPLETED' WHEN 'FAILED' THEN 'FAILED' ELSE 'PROCESSING' END,
    token_id = CASE WHEN b.status = 'COMPLETED' THEN r.seq END,
    tx_hash = CASE WHEN b.status = 'COMPLETED' THEN sha256(convert_to(b.id::text, 'UTF8')) END,
    last_error = CASE WHEN b.status = 'FAILED' THEN b.error END
FROM (SELECT id, status, error, unnest(recipients) AS address FROM batches WHERE campaign_id = :'c') b
WHERE r.campaign_id = :'c' AND r.address = b.address;
VACUUM ANALYZE;
SQL
url="$base/api/campaigns/$id"
echo "campaign $id: $(curl -fsS "${auth[@]}" "$url" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["counts"]))')"

# wrk's latency unit varies (us, ms, s): everything in ms.
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) }
                 else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f\n", v }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
run_wrk() { # seconds -> wrk's output
  "${WRK[@]}" -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" --latency "${auth[@]}" "$url"
}
check_all_ok() { # wrk output -> fails when any answer was not 2xx or a socket error happened
  if grep -qE 'Non-2xx|Socket errors' <<<"$1"; then echo "$1" >&2; die "some requests failed (see above)"; fi
}

echo "load before: $(uptime | sed 's/.*load average/load average/')"
echo "warm-up ${WARMUP}s (${WRK[*]} -t$THREADS -c$CONNECTIONS)"
# The warm-up's figures, errors included (a request that times out while the JIT compiles), are not the measurement.
run_wrk "$WARMUP" >"$work/warmup.txt"
: >"$work/rps"; : >"$work/p99"
for round in $(seq 1 "$ROUNDS"); do
  out=$(run_wrk "$DURATION")
  check_all_ok "$out"
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" || $1 == "99.000%" { print $2; exit }' <<<"$out" | to_ms)
  echo "$rps" >>"$work/rps"; echo "$p99" >>"$work/p99"
  printf 'round %d: %10.0f req/s   p99 %7.2f ms   (%s)\n' "$round" "$rps" "$p99" \
    "$(uptime | sed 's/.*load average/load average/')"
done
printf 'median:  %10.0f req/s   p99 %7.2f ms   over %d rounds of %ds, %d connections\n' \
  "$(median <"$work/rps")" "$(median <"$work/p99")" "$ROUNDS" "$DURATION" "$CONNECTIONS"
