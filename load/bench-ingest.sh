#!/usr/bin/env bash
# W1 through the gRPC Push stream into a fresh Tidemark (private PostgreSQL 15 and Redis, see bench-lib.sh):
# ingest throughput and ack latency only, with the extra -D flags given (e.g. -Dtidemark.rollup.enabled=false).
#   load/bench-ingest.sh [-Dkey=value ...]       # needs Debian's postgresql and redis-server
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/tidemark-ingest}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55438}
REDISPORT=${REDISPORT:-56382}
HTTP_PORT=${HTTP_PORT:-8095}
GRPC_PORT=${GRPC_PORT:-9015}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
mkdir -p "$OUT"
cd "$ROOT"
# shellcheck source=bench-lib.sh
. "$ROOT/load/bench-lib.sh"
APP_PID= REDIS_PID=
trap 'kill $APP_PID $REDIS_PID 2>/dev/null; sleep 1; stop_private_pg "$OUT/pg"' EXIT
[ "${SKIP_BUILD:-0}" = 1 ] || { ./mvnw -q -B package -DskipTests && ./mvnw -q -B -f load/pom.xml package -DskipTests; }
start_private_pg "$OUT/pg"
start_private_redis
start_tidemark "$@"
java -jar load/target/quarkus-app/quarkus-run.jar --target "127.0.0.1:$GRPC_PORT" --hosts 1000 --metrics 100 \
  --rounds 60 --json "$OUT/w1.json" | grep -E "throughput|ack latency|result"
