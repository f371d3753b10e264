#!/usr/bin/env bash
# Agent overhead: CPU % of one core and RSS of the agent process at a 10 s interval with every host collector,
# one scrape target (500 series) and 1,000 StatsD packets/s, shipping to a real Tidemark (the packaged jar with
# its embedded PostgreSQL). Needs the root build (./mvnw -B package -DskipTests) and the agent jar
# (./mvnw -B -f agent/pom.xml package -DskipTests), python3 for the scrape target and the StatsD sender.
#
#   agent/bench-agent.sh                 # 30 s warm-up, 120 s measured
#   WARMUP=60 DURATION=300 agent/bench-agent.sh
#   AGENT_JAVA_OPTS="-Xmx64m" agent/bench-agent.sh   # other JVM flags for the agent
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-120}
AGENT_JAVA_OPTS=${AGENT_JAVA_OPTS:-"-Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m"}
APP=target/quarkus-app/quarkus-run.jar
AGENT=agent/target/tidemark-agent.jar
[ -f "$APP" ] || { echo "missing $APP: run ./mvnw -B package -DskipTests" >&2; exit 1; }
[ -f "$AGENT" ] || { echo "missing $AGENT: run ./mvnw -B -f agent/pom.xml package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tidemark-agent-bench.XXXXXX)
chmod 755 "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GRPC=$(free_port); HTTP=$(free_port); SCRAPE=$(free_port); STATSD=$(free_port); SELF=$(free_port)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  if [ -f "$WORK/postgres/postmaster.pid" ]; then kill "$(head -1 "$WORK/postgres/postmaster.pid")" 2>/dev/null || true; fi
  sleep 1; rm -rf "$WORK"
}
trap cleanup EXIT

echo "starting Tidemark (gRPC :$GRPC, log $WORK/service.log)"
java -Xmx256m -Dtidemark.embedded-postgres.data-dir="$WORK/postgres" -Dtidemark.embedded-postgres.port=0 \
  -Dtidemark.redis.url=redis://127.0.0.1:1 -Dquarkus.grpc.server.port="$GRPC" -Dquarkus.http.port="$HTTP" \
  -jar "$APP" > "$WORK/service.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do curl -sf "localhost:$HTTP/q/health/ready" > /dev/null && break; sleep 1; done

# the scrape target: 500 series of exposition text
python3 - "$WORK/metrics.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("# TYPE app_requests_total counter\n")
    for i in range(250):
        f.write('app_requests_total{route="/r%d",code="200"} %d\n' % (i, i * 7))
    f.write("# TYPE app_latency_seconds gauge\n")
    for i in range(250):
        f.write('app_latency_seconds{route="/r%d"} 0.%03d\n' % (i, i))
PY
mkdir -p "$WORK/www" && cp "$WORK/metrics.txt" "$WORK/www/metrics"
(cd "$WORK/www" && exec python3 -m http.server "$SCRAPE" --bind 127.0.0.1 > /dev/null 2>&1) &
PIDS+=($!)

cat > "$WORK/agent.yaml" <<YAML
collection:
  interval: 10s
  batch_size: 1000
endpoints:
  primary: http://127.0.0.1:$GRPC
tenant: bench
host:
  hostname: bench-host
  labels: {environment: bench}
metrics:
  system:
    interval: 10s
  applications:
    - type: http
      url: http://127.0.0.1:$SCRAPE/metrics
      interval: 10s
    - type: statsd
      port: $STATSD
buffering:
  disk_path: $WORK/buffer
self_metrics:
  listen: 127.0.0.1:$SELF
YAML
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} java $AGENT_JAVA_OPTS -jar "$AGENT" --config "$WORK/agent.yaml" > "$WORK/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=($AGENT_PID)

# 1,000 StatsD packets/s: counters, gauges, timers and sets over 100 series, DogStatsD tags
python3 - "$STATSD" "$((WARMUP + DURATION + 5))" <<'PY' &
import socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
kinds = ["c", "g", "ms", "s"]
end = time.time() + seconds
i = 0
next_tick = time.time()
while time.time() < end:
    for _ in range(100):
        k = kinds[i % 4]
        value = ("user%d" % (i % 50)) if k == "s" else str(i % 1000)
        s.sendto(("bench.metric%d:%s|%s|#env:bench,shard:%d" % (i % 25, value, k, i % 4)).encode(), ("127.0.0.1", port))
        i += 1
    next_tick += 0.1
    time.sleep(max(0, next_tick - time.time()))
PY
PIDS+=($!)

ticks() { awk '{print $14 + $15}' "/proc/$AGENT_PID/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$AGENT_PID/status"; }
HZ=$(getconf CLK_TCK)
echo "warming up ${WARMUP}s"
sleep "$WARMUP"
T0=$(ticks); S0=$(date +%s.%N); MAX_RSS=0; SUM_RSS=0; N=0
for _ in $(seq 1 "$DURATION"); do
  sleep 1
  R=$(rss_kb); SUM_RSS=$((SUM_RSS + R)); N=$((N + 1)); [ "$R" -gt "$MAX_RSS" ] && MAX_RSS=$R
done
T1=$(ticks); S1=$(date +%s.%N)
METRICS=$(curl -s "localhost:$SELF/metrics")
value() { echo "$METRICS" | awk -v n="$1" '$1 ~ "^"n"({|$)" {s += $2} END {printf "%d", s}'; }
python3 - "$T0" "$T1" "$S0" "$S1" "$HZ" "$MAX_RSS" "$SUM_RSS" "$N" <<'PY'
import sys
t0, t1, s0, s1, hz, max_rss, sum_rss, n = map(float, sys.argv[1:])
cpu = (t1 - t0) / hz / (s1 - s0) * 100
print("agent CPU: %.2f %% of one core over %.0f s" % (cpu, s1 - s0))
print("agent RSS: mean %.1f MB, max %.1f MB" % (sum_rss / n / 1024, max_rss / 1024))
PY
echo "collected $(value tidemark_agent_samples_collected_total) samples, sent $(value tidemark_agent_samples_sent_total)," \
  "dropped $(value tidemark_agent_samples_dropped_total), statsd packets $(value tidemark_agent_statsd_packets_total)," \
  "buffered batches $(value tidemark_agent_buffer_batches)"
