# shellcheck shell=bash
# Pieces shared by the load/bench-*.sh scripts: a private PostgreSQL (Debian's binaries, stock settings),
# a private Redis, and Tidemark on them. Source it after setting ROOT, OUT, PGBIN, PGPORT, REDISPORT.
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# start_private_pg DIR: initdb + start on $PGPORT, database "tidemark"; sets PG_PID
start_private_pg() {
  local data=$1 sock=$1-sock
  rm -rf "$data" && mkdir -p "$data" "$sock"
  [ "$(id -u)" = 0 ] && chown postgres: "$data" "$sock" && chmod 755 "$(dirname "$data")"
  as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$sock'
timezone = 'UTC'
CONF
  as_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null
  PG_PID=$(head -1 "$data/postmaster.pid")
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -q -c "CREATE DATABASE tidemark"
}

stop_private_pg() {
  [ -f "$1/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null || true
}

# start_private_redis: on $REDISPORT, no persistence; sets REDIS_PID
start_private_redis() {
  redis-server --port "$REDISPORT" --bind 127.0.0.1 --save "" --appendonly no --maxmemory 512mb \
    --maxmemory-policy allkeys-lru >"$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
}

# start_tidemark [extra -D flags...]: the packaged service on the private PostgreSQL and Redis, gRPC $GRPC_PORT
# (9000), HTTP $HTTP_PORT (8080), JVM flags from $JAVA_OPTS; waits until ready; sets APP_PID
start_tidemark() {
  local http=${HTTP_PORT:-8080} grpc=${GRPC_PORT:-9000}
  # shellcheck disable=SC2086
  java $JAVA_OPTS "$@" -Dtidemark.db.url="postgresql://127.0.0.1:$PGPORT/tidemark" -Dtidemark.db.username=postgres \
    -Dtidemark.redis.url="redis://127.0.0.1:$REDISPORT" -Dquarkus.grpc.server.port="$grpc" -Dquarkus.http.port="$http" \
    -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$OUT/tidemark.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$http/q/health/ready" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -o /dev/null "http://127.0.0.1:$http/q/health/ready"
}
