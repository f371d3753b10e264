#!/usr/bin/env bash
# Issue 7's alerting benchmark: 1,000 alerting rules (50 groups x 20, interval 10s) over a live W1 fleet
# (1,000 hosts x 100 series, one round every 10 s through the gRPC Push stream), on a private PostgreSQL 15
# and Redis (bench-lib.sh). Measures
#   (1) evaluation time per cycle: every group's evaluationTime/lastEvaluation from GET /api/v1/rules, polled,
#       summed per cycle (all groups of a cycle share the tick's evaluation time), plus the slowest group;
#       cross-checked with tidemark_alerting_group_evaluation_seconds from /q/metrics;
#   (2) sample-to-notification latency: PROBES probe rules (`bench_probe{probe="NN"} > 100`, for 0, one per
#       group) each fired by one sample injected through POST /api/v1/metrics at a random phase; latency =
#       webhook arrival - the push's HTTP answer (the sample is committed when it is answered).
# Routing: everything to a local webhook receiver (python http.server), group_by [alertname], group_wait 0s.
#   load/bench-alerting.sh           # from the repository root; figures land in $OUT (default /tmp/tidemark-alertbench)
# Env: OUT, JAVA_OPTS, HTTP_PORT (8080), GRPC_PORT (9000), PGPORT (55433), REDISPORT (56379), WEBHOOK_PORT (18095),
#      PROBES (30), ROUNDS (fleet rounds, 26), SKIP_BUILD=1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/tidemark-alertbench}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55433}
REDISPORT=${REDISPORT:-56379}
HTTP_PORT=${HTTP_PORT:-8080}
GRPC_PORT=${GRPC_PORT:-9000}
WEBHOOK_PORT=${WEBHOOK_PORT:-18095}
PROBES=${PROBES:-30}
ROUNDS=${ROUNDS:-26}
JAVA_OPTS=${JAVA_OPTS:-}
export HTTP_PORT GRPC_PORT
PY=/usr/bin/python3
API=http://127.0.0.1:$HTTP_PORT
rm -rf "$OUT" && mkdir -p "$OUT"
cd "$ROOT"
# shellcheck source=bench-lib.sh
. "$ROOT/load/bench-lib.sh"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Tidemark and the simulator"
  ./mvnw -q -B package -DskipTests
  ./mvnw -q -B -f load/pom.xml package -DskipTests
fi

PGDATA=$OUT/pg-tidemark
APP_PID= REDIS_PID= HOOK_PID= SIM_PID= POLL_PID=
cleanup() {
  for p in $POLL_PID $SIM_PID $HOOK_PID $REDIS_PID; do kill -TERM "$p" 2>/dev/null || true; done
  [ -n "$APP_PID" ] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  stop_private_pg "$PGDATA"
}
trap cleanup EXIT

log "webhook receiver on 127.0.0.1:$WEBHOOK_PORT (records arrival time and firing alertnames)"
"$PY" - "$WEBHOOK_PORT" "$OUT/webhook.jsonl" >"$OUT/webhook.log" 2>&1 <<'PYEOF' &
import json, sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, path = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
out = open(path, "a", buffering=1)
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        t = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            d = json.loads(body)
            rec = {"t": t, "status": d.get("status"), "alerts": [(a.get("labels", {}).get("alertname"), a.get("status"))
                                                             for a in d.get("alerts", [])]}
        except Exception as e:
            rec = {"t": t, "error": str(e)}
        with lock:
            out.write(json.dumps(rec) + "\n")
        self.send_response(200); self.send_header("content-length", "0"); self.end_headers()
    def log_message(self, *a):
        pass
ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PYEOF
HOOK_PID=$!

log "private PostgreSQL (port $PGPORT) and Redis (port $REDISPORT)"
start_private_pg "$PGDATA"
start_private_redis
log "starting Tidemark (HTTP $HTTP_PORT, gRPC $GRPC_PORT, JAVA_OPTS='$JAVA_OPTS')"
# shellcheck disable=SC2086
start_tidemark ${TIDEMARK_PROPS:-}

log "routing: everything to the webhook, group_by [alertname], group_wait 0s"
curl -fsS -X PUT -H 'content-type: application/yaml' --data-binary @- "$API/api/v1/alerting/config" <<YAML
route:
  receiver: bench
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 4h
receivers:
  - name: bench
    webhook_configs: [{url: "http://127.0.0.1:$WEBHOOK_PORT/hook", send_resolved: false}]
YAML
echo

log "live fleet: 1,000 hosts x 100 series, one round every 10 s, $ROUNDS rounds (gRPC 127.0.0.1:$GRPC_PORT)"
java -jar load/target/quarkus-app/quarkus-run.jar --target "127.0.0.1:$GRPC_PORT" --hosts 1000 --metrics 100 \
  --interval 10s --rounds "$ROUNDS" --json "$OUT/fleet.json" >"$OUT/fleet.txt" 2>&1 &
SIM_PID=$!
sleep 12   # one round stored before the rules arrive

log "1,000 rules: 50 groups x 20, interval 10s ($PROBES probe rules, one per group)"
"$PY" - "$PROBES" >"$OUT/rules.yml" <<'PYEOF'
import sys
probes = int(sys.argv[1])
print("groups:")
n = 0
for g in range(50):
    print("  - name: bench-%02d\n    interval: 10s\n    rules:" % g)
    k = 20
    if g < probes:
        k = 19
    for r in range(k):
        i = n; n += 1
        m = "node_metric_%03d" % (i % 100)
        if i % 20 == 0:      # fires: 4 alerts (one per region)
            e = "avg by (region) (%s) > 0" % m
        elif i % 20 == 10:
            e = "avg by (region) (%s) > 1e12" % m
        elif i % 20 in (5, 15):   # all 1,000 series of the metric
            e = "max(%s) > 1e12" % m
        else:                # one series
            e = '%s{host="host-%04d"} > 1e12' % (m, (i * 7) % 1000 + 1)
        print("      - alert: Bench_%04d\n        expr: '%s'" % (i, e))
    if g < probes:
        print("      - alert: Probe_%02d\n        expr: 'bench_probe{probe=\"%02d\"} > 100'" % (g, g))
PYEOF
test "$(grep -c 'alert:' "$OUT/rules.yml")" = 1000
curl -fsS -X POST --data-binary @"$OUT/rules.yml" "$API/api/v1/alerting/rules" >"$OUT/rules-upload.json"
log "uploaded: $(head -c 200 "$OUT/rules-upload.json")"

# poll the groups' evaluations every second until told to stop
"$PY" - "$API" "$OUT/evals.jsonl" <<'PYEOF' &
import json, sys, time, urllib.request
api, path = sys.argv[1], sys.argv[2]
seen = set()
with open(path, "a", buffering=1) as out:
    while True:
        try:
            d = json.load(urllib.request.urlopen(api + "/api/v1/rules", timeout=10))
            for g in d["data"]["groups"]:
                k = (g["name"], g["lastEvaluation"])
                if k not in seen and not g["lastEvaluation"].startswith("0001"):
                    seen.add(k)
                    out.write(json.dumps({"group": g["name"], "at": g["lastEvaluation"],
                                          "seconds": g["evaluationTime"], "polled": time.time()}) + "\n")
        except Exception as e:
            print("poll:", e, file=sys.stderr)
        time.sleep(1)
PYEOF
POLL_PID=$!
curl -fsS "$API/q/metrics" | grep '^tidemark_alerting_group_evaluation_seconds' >"$OUT/metrics-before.txt" || true
log "warm-up: 30 s"
sleep 30
curl -fsS "$API/q/metrics" | grep '^tidemark_alerting_group_evaluation_seconds' >"$OUT/metrics-start.txt" || true

log "$PROBES probes: one sample each through POST /api/v1/metrics, 3-6 s apart (random phase)"
"$PY" - "$API" "$PROBES" "$OUT/probes.jsonl" <<'PYEOF'
import json, sys, time, random, urllib.request
api, probes, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
with open(path, "w") as out:
    for p in range(probes):
        t0 = time.time()
        body = json.dumps([{"metric": "bench_probe", "tags": {"probe": "%02d" % p}, "timestamp": t0, "value": 1000}])
        req = urllib.request.Request(api + "/api/v1/metrics", data=body.encode(),
                                     headers={"content-type": "application/json"})
        ans = urllib.request.urlopen(req, timeout=30).read().decode()
        t1 = time.time()
        out.write(json.dumps({"probe": "Probe_%02d" % p, "sent": t0, "committed": t1, "answer": ans}) + "\n")
        time.sleep(random.uniform(3, 6))
PYEOF
log "waiting 25 s for the last notifications"
sleep 25
curl -fsS "$API/q/metrics" | grep -E '^tidemark_alerting_(group_evaluation|notifications)' >"$OUT/metrics-end.txt" || true
curl -fsS "$API/api/v1/rules" >"$OUT/rules-final.json"
kill -TERM "$POLL_PID" 2>/dev/null || true; POLL_PID=
wait "$SIM_PID" 2>/dev/null || true; SIM_PID=
grep -E '^(samples|throughput|ack latency|result) ' "$OUT/fleet.txt" || true

"$PY" - "$OUT" <<'PYEOF'
import json, sys, os, re, collections
out = sys.argv[1]
def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    f = int(k); c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)
# (1) evaluation per cycle
evals = [json.loads(l) for l in open(os.path.join(out, "evals.jsonl"))]
probes = [json.loads(l) for l in open(os.path.join(out, "probes.jsonl"))]
t_start, t_end = probes[0]["sent"] - 30, probes[-1]["committed"] + 25
cycles = collections.defaultdict(list)
for e in evals:
    cycles[e["at"]].append(e)
rows = []
for at in sorted(cycles):
    es = cycles[at]
    if len(es) < 50:
        continue   # a cycle seen only partly (first upload, or the poll stopped)
    rows.append((at, sum(e["seconds"] for e in es), max(e["seconds"] for e in es)))
print("\n(1) evaluation per cycle (50 groups, 1,000 rules; complete cycles: %d)" % len(rows))
for at, s, m in rows:
    print("  %s  sum %.3f s  slowest group %.3f s" % (at, s, m))
sums = [r[1] for r in rows]; mx = [r[2] for r in rows]
if rows:
    print("  per cycle: median %.3f s, max %.3f s; slowest group: median %.3f s, max %.3f s; per rule (mean) %.2f ms"
          % (pct(sums, 50), max(sums), pct(mx, 50), max(mx), 1000 * sum(sums) / len(sums) / 1000))
def timer(path):
    c = s = 0.0
    for l in open(path):
        m = re.match(r'tidemark_alerting_group_evaluation_seconds_(count|sum)\{.*\} (\S+)', l)
        if m:
            if m.group(1) == "count": c += float(m.group(2))
            else: s += float(m.group(2))
    return c, s
c0, s0 = timer(os.path.join(out, "metrics-start.txt")); c1, s1 = timer(os.path.join(out, "metrics-end.txt"))
if c1 > c0:
    print("  /q/metrics timer over the probe phase: %d group evaluations, mean %.1f ms per group (x50 = %.3f s per cycle)"
          % (c1 - c0, 1000 * (s1 - s0) / (c1 - c0), 50 * (s1 - s0) / (c1 - c0)))
# (2) latency
hooks = [json.loads(l) for l in open(os.path.join(out, "webhook.jsonl"))]
first = {}
for h in hooks:
    for name, st in h.get("alerts", []):
        if st == "firing" and name and name not in first:
            first[name] = h["t"]
lat = []
print("\n(2) sample committed (push answered) -> webhook received")
for p in probes:
    t = first.get(p["probe"])
    if t is None:
        print("  %s: no notification" % p["probe"]); continue
    lat.append(t - p["committed"])
    print("  %s: %.3f s (push took %.3f s)" % (p["probe"], t - p["committed"], p["committed"] - p["sent"]))
if lat:
    print("  n=%d p50 %.2f s, p99 %.2f s, min %.2f s, max %.2f s" % (len(lat), pct(lat, 50), pct(lat, 99), min(lat), max(lat)))
print("webhook requests: %d (alerts firing: %d distinct alertnames)" % (len(hooks), len(first)))
json.dump({"cycles": rows, "latency_s": lat}, open(os.path.join(out, "summary.json"), "w"))
PYEOF
