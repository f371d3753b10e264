#!/usr/bin/env bash
# W1 through the Prometheus interfaces of Tidemark, Prometheus and VictoriaMetrics in one run: the same pre-encoded
# remote-write requests (../shared/bench/gen_w1.py's rw.bin, sent by its httpsend.py, 2 connections) into Tidemark
# and Prometheus (VictoriaMetrics imports the same rounds in text format, as run_vm.sh does), then the same PromQL
# queries against each, timed like ../shared/bench (one first run, median of 5 more):
#   P1  node_metric_037{host="host-0123"}[600s]                                 instant, raw points of one series
#   Q2  avg by (region) (avg_over_time(node_metric_037[1m])), step 60 s          range over 1,000 series
#   R1  sum(rate(node_metric_000[5m])) + … + sum(rate(node_metric_099[5m]))      instant, all 100,000 series read
#       (rate({__name__=~"node_metric_.+"}[5m]) is an error in Prometheus: without their names the 100 metrics'
#       series collide, "vector cannot contain metrics with the same labelset")
#   R2  rate(node_metric_037[5m])                                                instant, 1,000 series returned
# Needs apt-get install postgresql redis-server prometheus victoria-metrics python3-snappy.
#   load/bench-promql.sh        # from the repository root; figures land in $OUT (default /tmp/tidemark-promql)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
OUT=${OUT:-/tmp/tidemark-promql}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55433}
REDISPORT=${REDISPORT:-56379}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
PY=/usr/bin/python3
mkdir -p "$OUT"
cd "$ROOT"
# shellcheck source=bench-lib.sh
. "$ROOT/load/bench-lib.sh"
BENCH_DATA=${BENCH_DATA:-/tmp/bench-data}
[ -f "$BENCH_DATA/w1/rw.bin" ] || "$PY" "$BENCH/gen_w1.py"
T0=$(sed -n 's/^t0=//p' "$BENCH_DATA/w1/META")
ROUNDS=$(sed -n 's/^rounds=//p' "$BENCH_DATA/w1/META")
TLAST=$((T0 + 10 * (ROUNDS - 1)))
# W1 is stamped 2026-01-01: Tidemark keeps and accepts raw samples that old only with a long raw retention
AGE_DAYS=$(( ( $(date +%s) - T0 ) / 86400 + 30 ))

log "building Tidemark"
./mvnw -q -B package -DskipTests

PGDATA=$OUT/pg-tidemark
APP_PID= REDIS_PID= PROM_PID= VM_PID=
cleanup() {
  for p in $APP_PID $REDIS_PID $PROM_PID $VM_PID; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_private_pg "$PGDATA"
}
trap cleanup EXIT

send_rw() { # URL -> httpsend.py's JSON line
  "$PY" "$BENCH/httpsend.py" --url "$1/api/v1/write" --file "$BENCH_DATA/w1/rw.bin" --lenpref --conns 2 \
    --header "Content-Encoding: snappy" --header "Content-Type: application/x-protobuf" \
    --header "X-Prometheus-Remote-Write-Version: 0.1.0"
}

time_queries() { # NAME BASEURL -> one JSON line per query in $OUT/queries-NAME.jsonl
  local name=$1 url=$2
  : >"$OUT/queries-$name.jsonl"
  "$PY" - "$url" "$T0" "$TLAST" >>"$OUT/queries-$name.jsonl" <<'PYEOF'
import json, statistics, sys, time, urllib.error, urllib.parse, urllib.request
base, t0, tlast = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
queries = [
    ("P1", "/api/v1/query", {"query": 'node_metric_037{host="host-0123"}[600s]', "time": tlast}),
    ("Q2", "/api/v1/query_range", {"query": "avg by (region) (avg_over_time(node_metric_037[1m]))",
                                   "start": t0 + 50, "end": tlast, "step": 60}),
    ("R1", "/api/v1/query", {"query": " + ".join("sum(rate(node_metric_%03d[5m]))" % m for m in range(100)),
                             "time": tlast}),
    ("R2", "/api/v1/query", {"query": "rate(node_metric_037[5m])", "time": tlast}),
]
for name, path, params in queries:
    url = base + path + "?" + urllib.parse.urlencode(params)
    lat, size, series = [], 0, 0
    error = None
    for _ in range(6):
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=300) as r:
                body = r.read()
        except urllib.error.HTTPError as e:
            error = "%s %s" % (e.code, e.read()[:300].decode())
            break
        lat.append((time.perf_counter() - t) * 1000)
        size = len(body)
        series = len(json.loads(body)["data"]["result"])
    if error:
        print(json.dumps({"query": name, "error": error}))
        continue
    print(json.dumps({"query": name, "first_ms": round(lat[0], 2), "median_ms": round(statistics.median(lat[1:]), 2),
                      "ms": [round(x, 2) for x in lat[1:]], "result_series": series, "bytes": size}))
PYEOF
  cat "$OUT/queries-$name.jsonl"
}

log "Prometheus $(prometheus --version 2>&1 | sed -n '1s/prometheus, version \([^ ]*\).*/\1/p') on :9090"
rm -rf "$OUT/prom" && mkdir -p "$OUT/prom"
printf 'global:\n  scrape_interval: 1m\nscrape_configs: []\n' >"$OUT/prom/prometheus.yml"
prometheus --config.file="$OUT/prom/prometheus.yml" --storage.tsdb.path="$OUT/prom/tsdb" \
  --web.listen-address=127.0.0.1:9090 --web.enable-remote-write-receiver >"$OUT/prom/server.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 1 120); do curl -fsS -o /dev/null http://127.0.0.1:9090/-/ready 2>/dev/null && break; sleep 0.5; done
send_rw http://127.0.0.1:9090 | tee "$OUT/ingest-prometheus.json"
time_queries prometheus http://127.0.0.1:9090
kill -TERM "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true; PROM_PID=

log "VictoriaMetrics on :8428"
rm -rf "$OUT/vm" && mkdir -p "$OUT/vm"
victoria-metrics -storageDataPath="$OUT/vm/data" -httpListenAddr=127.0.0.1:8428 -retentionPeriod=100y \
  -search.latencyOffset=0s >"$OUT/vm/server.log" 2>&1 &
VM_PID=$!
for _ in $(seq 1 120); do curl -fsS -o /dev/null http://127.0.0.1:8428/health 2>/dev/null && break; sleep 0.5; done
send_rw http://127.0.0.1:8428 | tee "$OUT/ingest-victoria-metrics.json"
curl -fsS http://127.0.0.1:8428/internal/force_flush >/dev/null
time_queries victoria-metrics http://127.0.0.1:8428
kill -TERM "$VM_PID"; wait "$VM_PID" 2>/dev/null || true; VM_PID=

log "Tidemark (JAVA_OPTS='$JAVA_OPTS'), raw retention and late window ${AGE_DAYS}d"
start_private_pg "$PGDATA"
start_private_redis
start_tidemark -Dtidemark.retention.raw="${AGE_DAYS}d" -Dtidemark.ingest.late-window="${AGE_DAYS}d" \
  -Dtidemark.rollup.enabled=false
send_rw http://127.0.0.1:8080 | tee "$OUT/ingest-tidemark.json"
time_queries tidemark http://127.0.0.1:8080
log "done: $OUT"
