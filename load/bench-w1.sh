#!/usr/bin/env bash
# W1 through Tidemark's gRPC Push stream, and in the same run the raw PostgreSQL ceiling
# (../shared/bench/run_pg.sh, INSERT ... unnest with 1 and 2 connections) on the same PostgreSQL 15
# binaries and stock settings. Needs Debian's postgresql and redis-server (apt-get install postgresql
# redis-server) and python3; Tidemark gets a private Redis for its query cache.
#   load/bench-w1.sh                 # from the repository root; figures land in $OUT (default /tmp/tidemark-bench)
# Env: OUT, BENCH (../shared/bench), JAVA_OPTS (Tidemark's JVM flags), SKIP_CEILING=1, SIM_ARGS,
#      WITH_PEERS=1 to also run run_vm.sh and run_prom.sh (apt-get install victoria-metrics prometheus python3-snappy),
#      RW_COMPARE=1 to also send W1 by remote write (then by gRPC again) into other tenants,
#      CHUNKS=1 to wait for the compactor and report the chunks' bytes per sample (W2: see docs/benchmarks.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
OUT=${OUT:-/tmp/tidemark-bench}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55433}
REDISPORT=${REDISPORT:-56379}
JAVA_OPTS=${JAVA_OPTS:-}
SIM_ARGS=${SIM_ARGS:---hosts 1000 --metrics 100 --rounds 60}
PY=/usr/bin/python3
mkdir -p "$OUT"
cd "$ROOT"
# shellcheck source=bench-lib.sh
. "$ROOT/load/bench-lib.sh"

log "building Tidemark and the simulator"
./mvnw -q -B package -DskipTests
./mvnw -q -B -f load/pom.xml package -DskipTests

if [ "${SKIP_CEILING:-0}" != 1 ]; then
  [ -f "${BENCH_DATA:-/tmp/bench-data}/w1/META" ] || "$PY" "$BENCH/gen_w1.py"
  log "raw PostgreSQL ceiling (run_pg.sh default, unnest1 unnest2)"
  METHODS="unnest1 unnest2" RESULTS="$OUT" "$BENCH/run_pg.sh" default
fi
if [ "${WITH_PEERS:-0}" = 1 ]; then
  [ -f "${BENCH_DATA:-/tmp/bench-data}/w1/rw.bin" ] || "$PY" "$BENCH/gen_w1.py"
  log "VictoriaMetrics and Prometheus on the same data (run_vm.sh, run_prom.sh)"
  RESULTS="$OUT" "$BENCH/run_vm.sh"
  RESULTS="$OUT" "$BENCH/run_prom.sh"
fi

PGDATA=$OUT/pg-tidemark
APP_PID= MON_APP= MON_PG= REDIS_PID=
cleanup() {
  [ -n "$REDIS_PID" ] && kill -TERM "$REDIS_PID" 2>/dev/null || true
  [ -n "$MON_APP" ] && kill -TERM "$MON_APP" 2>/dev/null || true
  [ -n "$MON_PG" ] && kill -TERM "$MON_PG" 2>/dev/null || true
  [ -n "$APP_PID" ] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  stop_private_pg "$PGDATA"
}
trap cleanup EXIT

log "private PostgreSQL for Tidemark: same binaries and stock settings as run_pg.sh default, port $PGPORT"
start_private_pg "$PGDATA"
log "private Redis for Tidemark's query cache, port $REDISPORT"
start_private_redis
log "starting Tidemark (JAVA_OPTS='$JAVA_OPTS')"
# shellcheck disable=SC2086
start_tidemark ${TIDEMARK_PROPS:-}
"$PY" "$BENCH/rssmon.py" "$APP_PID" "$OUT/tidemark.rss.json" 0.5 & MON_APP=$!
"$PY" "$BENCH/rssmon.py" "$PG_PID" "$OUT/pg-tidemark.rss.json" 0.5 & MON_PG=$!

log "W1 through the gRPC Push stream"
# shellcheck disable=SC2086
java -jar load/target/quarkus-app/quarkus-run.jar $SIM_ARGS --json "$OUT/w1-tidemark.json" | tee "$OUT/w1-tidemark.txt"
if [ "${RW_COMPARE:-0}" = 1 ]; then
  # the same fleet through remote write, then the gRPC stream again, each into its own tenant (new series each)
  log "W1 through Prometheus remote write (2 connections), tenant rw"
  # shellcheck disable=SC2086
  java -jar load/target/quarkus-app/quarkus-run.jar remote-write --target 127.0.0.1:8080 $SIM_ARGS --tenant rw \
    --json "$OUT/w1-remote-write.json" | tee "$OUT/w1-remote-write.txt"
  log "W1 through the gRPC Push stream again, tenant grpc2"
  # shellcheck disable=SC2086
  java -jar load/target/quarkus-app/quarkus-run.jar $SIM_ARGS --tenant grpc2 --json "$OUT/w1-tidemark-2.json" \
    | tee "$OUT/w1-tidemark-2.txt"
fi
log "waiting for the 1m rollups to catch up (lag < 150 s, no recomputation pending: W1 arrives late by design)"
for _ in $(seq 1 150); do
  METRICS=$(curl -fsS http://127.0.0.1:8080/q/metrics)
  LAG=$(echo "$METRICS" | awk '/^tidemark_rollup_lag_seconds\{tier="1m"/ {print $2}')
  PENDING=$(echo "$METRICS" | awk '/^tidemark_rollup_pending\{tier="1m"/ {print $2}')
  [ -n "$LAG" ] && [ "$LAG" != NaN ] && [ "${PENDING:-1}" = 0.0 ] && awk "BEGIN{exit !($LAG < 150)}" && break
  sleep 2
done
log "1m rollup lag: ${LAG:-unknown} s, pending recomputations: ${PENDING:-unknown}"
log "W1 queries Q1 and Q2 through QueryService.Range (cold: cache emptied before each run; Q2 refresh: warm)"
START_MS=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['start_ms'])" "$OUT/w1-tidemark.json")
ROUNDS_RUN=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['rounds'])" "$OUT/w1-tidemark.json")
java -jar load/target/quarkus-app/quarkus-run.jar query 127.0.0.1:9000 "$START_MS" "$ROUNDS_RUN" "127.0.0.1:$REDISPORT" | tee "$OUT/w1-tidemark-queries.json"
if [ "${CHUNKS:-0}" = 1 ]; then
  STORED=$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -At -d tidemark -c "SELECT count(*) FROM samples")
  log "waiting for the compactor to encode the $STORED samples into chunks"
  T0=$(date +%s)
  for _ in $(seq 1 300); do
    DONE=$(curl -fsS http://127.0.0.1:8080/q/metrics | awk '/^tidemark_compaction_samples_total/ {print int($2)}')
    [ "${DONE:-0}" -ge "$STORED" ] && break
    sleep 2
  done
  log "compacted ${DONE:-0} samples ($(( $(date +%s) - T0 )) s after the load, rollups first)"
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -At -d tidemark -c "VACUUM ANALYZE chunks" >/dev/null
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -At -d tidemark -F ' ' -c "
    SELECT (SELECT sum(count) FROM chunks) AS chunk_samples,
           (SELECT count(*) FROM chunks) AS chunks,
           (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'chunks'::regclass) AS chunk_bytes_with_indexes_and_toast,
           (SELECT sum(length(data)) FROM chunks) AS payload_bytes" | tee "$OUT/chunks.txt"
fi
kill -TERM "$MON_APP" "$MON_PG"; wait "$MON_APP" "$MON_PG" 2>/dev/null || true; MON_APP= MON_PG=
curl -fsS http://127.0.0.1:8080/q/metrics | grep -E '^tidemark_(ingest_(samples_accepted_total|flush_samples_(count|sum)|flush_duration_seconds_(count|sum))|query_|rollup_)' >"$OUT/tidemark-metrics.txt" || true
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -At -d tidemark -c "SELECT count(*) FROM samples" >"$OUT/stored-count.txt"

"$PY" - "$OUT" <<'PYEOF'
import json, sys, os
out = sys.argv[1]
w1 = json.load(open(os.path.join(out, "w1-tidemark.json")))
rss = json.load(open(os.path.join(out, "tidemark.rss.json")))
pg = json.load(open(os.path.join(out, "pg-tidemark.rss.json")))
stored = open(os.path.join(out, "stored-count.txt")).read().strip()
print("\nTidemark W1: %s" % json.dumps({k: w1.get(k) for k in w1 if not isinstance(w1.get(k), (list, dict))}))
print("ack latency: %s" % json.dumps(w1.get("ack_latency_ms", w1.get("latency_ms"))))
print("stored samples: %s" % stored)
queries = os.path.join(out, "w1-tidemark-queries.json")
if os.path.exists(queries):
    q = json.load(open(queries))
    print("Tidemark cold: Q1 median %s ms (first %s), Q2 median %s ms (first %s)" % (q["q1"]["median_ms"], q["q1"]["first_ms"], q["q2"]["median_ms"], q["q2"]["first_ms"]))
    if q.get("q2_refresh"):
        print("Tidemark Q2 refresh (warm cache, one new bucket): median %s ms %s" % (q["q2_refresh"]["median_ms"], q["q2_refresh"]["ms"]))
for name in ("pg-default.jsonl", "vm.json", "prom.json"):
    path = os.path.join(out, name)
    if os.path.exists(path):
        for line in open(path):
            r = json.loads(line)
            print("%s %s: Q1 median %s ms, Q2 median %s ms" % (r.get("system"), r.get("method", ""), r["q1"].get("median_ms"), r["q2"].get("median_ms")))
print("Tidemark RSS peak MiB: %s; its PostgreSQL PSS peak MiB: %s" % (json.dumps(rss), json.dumps(pg)))
ceiling = os.path.join(out, "pg-default.jsonl")
if os.path.exists(ceiling):
    for line in open(ceiling):
        r = json.loads(line)
        if "samples_per_s" in r or "rate" in r:
            print("ceiling %s: %s samples/s" % (r.get("method"), r.get("samples_per_s", r.get("rate"))))
PYEOF
