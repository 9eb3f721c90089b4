#!/usr/bin/env bash
# Distributed mode on one machine: a Redis-coordinated vecgate as separate processes on loopback.
#
#   scripts/local-cluster.sh up       start a gateway, a writer and two readers; wait until all are ready
#   scripts/local-cluster.sh status   each process: pid, health
#   scripts/local-cluster.sh down     stop them (SIGTERM, then SIGKILL after a grace)
#
# Every process runs bin/vecgate (which finds a JDK 25 and builds the jar when needed), joins one
# Hazelcast cluster on 127.0.0.1 (--cluster-members), keeps its aliases in the local Redis
# (--alias-store) and shares one data directory. PID files and logs go to $DATA_DIR/local-cluster/.
#
# Environment (defaults in brackets):
#   DATA_DIR [./data-cluster]              the shared data directory
#   READ_PORT [8080], WRITE_PORT [8081]    the gateway's read and write endpoints
#   MILVUS_PORT [19530]                    the gateway's Milvus gRPC API (-1: off)
#   WRITER_PORT [8091]                     the writer's /health and /metrics
#   READER_PORT [8092]                     reader-1's /health (reader-2: READER_PORT + 1)
#   GRPC_PORT [9090]                       reader-1's gRPC search service (reader-2: GRPC_PORT + 1)
#   CLUSTER_PORT [5701]                    Hazelcast: gateway, writer, reader-1, reader-2 on CLUSTER_PORT + 0..3
#   CLUSTER_NAME [vecgate-local]           the Hazelcast cluster name
#   REDIS_URL [redis://127.0.0.1:6379]     the alias store (and readers' heartbeats)
#   ALIAS_KEY_PREFIX [vecgate]             prefix of the Redis keys, to share one Redis between deployments
#   PG_URI [postgresql://postgres@127.0.0.1:5432/test]  shown as the source for rebuilds (checked, not required)
#   START_TIMEOUT [180]                    seconds `up` waits for every process to be ready
#   STOP_GRACE [30]                        seconds `down` waits after SIGTERM before SIGKILL
#   JAVA_OPTS [-Xmx1g]                     JVM options of every process
#   VECGATE_JAR                            run this jar as it is (bin/vecgate then neither checks nor builds)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${DATA_DIR:-./data-cluster}"
READ_PORT="${READ_PORT:-8080}"
WRITE_PORT="${WRITE_PORT:-8081}"
MILVUS_PORT="${MILVUS_PORT:-19530}"
WRITER_PORT="${WRITER_PORT:-8091}"
READER_PORT="${READER_PORT:-8092}"
GRPC_PORT="${GRPC_PORT:-9090}"
CLUSTER_PORT="${CLUSTER_PORT:-5701}"
CLUSTER_NAME="${CLUSTER_NAME:-vecgate-local}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
ALIAS_KEY_PREFIX="${ALIAS_KEY_PREFIX:-vecgate}"
PG_URI="${PG_URI:-postgresql://postgres@127.0.0.1:5432/test}"
START_TIMEOUT="${START_TIMEOUT:-180}"
STOP_GRACE="${STOP_GRACE:-30}"
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

NODES=(writer reader-1 reader-2 gateway)
HOST=127.0.0.1

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
RUN="$DATA_DIR/local-cluster"

role_of() { case "$1" in reader-*) echo reader ;; *) echo "$1" ;; esac; }
index_of() { case "$1" in gateway) echo 0 ;; writer) echo 1 ;; reader-1) echo 2 ;; reader-2) echo 3 ;; esac; }

# The port of a node's /health/ready.
health_port() {
  case "$1" in
    gateway) echo "$READ_PORT" ;;
    writer) echo "$WRITER_PORT" ;;
    reader-1) echo "$READER_PORT" ;;
    reader-2) echo $((READER_PORT + 1)) ;;
  esac
}

# Every port a node listens on, as "port:what" words.
ports_of() {
  local n="$1" hz=$((CLUSTER_PORT + $(index_of "$1")))
  case "$n" in
    gateway) echo "$READ_PORT:read-endpoint $WRITE_PORT:write-endpoint $hz:hazelcast$([ "$MILVUS_PORT" -gt 0 ] && echo " $MILVUS_PORT:milvus-api")" ;;
    writer) echo "$WRITER_PORT:writer-health $hz:hazelcast" ;;
    reader-1) echo "$READER_PORT:reader-1-health $GRPC_PORT:reader-1-grpc $hz:hazelcast" ;;
    reader-2) echo "$((READER_PORT + 1)):reader-2-health $((GRPC_PORT + 1)):reader-2-grpc $hz:hazelcast" ;;
  esac
}

members() {
  local out="" i
  for i in 0 1 2 3; do
    out="${out:+$out,}$HOST:$((CLUSTER_PORT + i))"
  done
  echo "$out"
}

# Sets ARGS to the command line of a node.
set_args() {
  local n="$1"
  ARGS=("$(role_of "$n")" --data-dir "$DATA_DIR" --host "$HOST" --node-id "$n" --cluster-name "$CLUSTER_NAME"
    --cluster-port "$((CLUSTER_PORT + $(index_of "$n")))" --cluster-members "$(members)"
    --alias-store "$REDIS_URL" --alias-key-prefix "$ALIAS_KEY_PREFIX" --log-format text)
  case "$n" in
    gateway) ARGS+=(--read-port "$READ_PORT" --write-port "$WRITE_PORT" --milvus-port "$MILVUS_PORT") ;;
    writer) ARGS+=(--http-port "$WRITER_PORT") ;;
    reader-1) ARGS+=(--http-port "$READER_PORT" --grpc-port "$GRPC_PORT") ;;
    reader-2) ARGS+=(--http-port "$((READER_PORT + 1))" --grpc-port "$((GRPC_PORT + 1))") ;;
  esac
}

# The pid of a node if its process runs (and is that node's vecgate), else nothing. A process that
# is exiting has an empty command line until it is a zombie: it still counts (its ports may be held).
pid_of() {
  local f="$RUN/$1.pid" pid state cmd
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  state="$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$pid/stat" 2>/dev/null || true)"
  [ "$state" != Z ] || return 0
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  if [ -z "$cmd" ] || [ "${cmd#*--node-id $1 }" != "$cmd" ]; then
    echo "$pid"
  fi
}

port_taken() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# PING over the Redis protocol with bash alone (no redis-cli needed); prints the first line of the answer.
redis_ping() {
  local hostport="${REDIS_URL#*://}" host port
  hostport="${hostport##*@}"
  hostport="${hostport%%/*}"
  host="${hostport%:*}"
  port="${hostport##*:}"
  [ "$port" != "$hostport" ] || port=6379
  local reply
  # shellcheck disable=SC2016
  reply="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "PING\r\n" >&3 && IFS= read -r -t 2 l <&3 && printf "%s" "$l"' \
    "$host" "$port" 2>/dev/null || true)"
  printf '%s' "${reply%$'\r'}"
}

# HTTP status and body of a node's /health/ready ("000" when it does not answer).
health() {
  curl -s -m 3 -w '\n%{http_code}' "http://$HOST:$(health_port "$1")/health/ready" 2>/dev/null || true
}

check_prerequisites() {
  command -v curl >/dev/null || die "curl is needed to check the processes' health; install it"
  local taken="" n p
  for n in "${NODES[@]}"; do
    for p in $(ports_of "$n"); do
      if port_taken "${p%%:*}"; then
        taken="$taken ${p%%:*} (${p#*:})"
      fi
    done
  done
  [ -z "$taken" ] || die "port(s) already in use on $HOST:$taken. Stop what uses them or choose others (READ_PORT, WRITE_PORT, MILVUS_PORT, WRITER_PORT, READER_PORT, GRPC_PORT, CLUSTER_PORT)."
  local pong
  pong="$(redis_ping)"
  # -NOAUTH: it answers, and wants the password the URL gives the nodes.
  [ "$pong" = "+PONG" ] || [ "${pong#-NOAUTH}" != "$pong" ] || die "Redis at $REDIS_URL does not answer PING (${pong:-no answer}). Start it (e.g. redis-server --port 6379 --daemonize yes) or set REDIS_URL."
  if command -v pg_isready >/dev/null && ! pg_isready -q -d "$PG_URI" 2>/dev/null; then
    echo "local-cluster: note: PostgreSQL at $PG_URI does not answer; rebuilds from PostgreSQL will fail until it does" >&2
  fi
}

start_node() {
  local n="$1" i
  set_args "$n"
  rm -f "$RUN/$n.pid"
  # The pid written is the one the JVM keeps: bash execs bin/vecgate, which execs java. A session of
  # its own, so a Ctrl-C in the terminal that ran `up` does not reach it.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$RUN/$n.pid" "$root/bin/vecgate" "${ARGS[@]}" \
    </dev/null >>"$RUN/$n.log" 2>&1 &
  for i in $(seq 1 50); do
    if [ -s "$RUN/$n.pid" ]; then
      return 0
    fi
    sleep 0.1
  done
  die "$n did not start (no pid file after 5s; see $RUN/$n.log)"
}

wait_ready() {
  local deadline=$(( $(date +%s) + START_TIMEOUT )) pending n out
  while :; do
    pending=""
    for n in "$@"; do
      if [ -z "$(pid_of "$n")" ]; then
        echo "local-cluster: $n exited during start; the end of $RUN/$n.log:" >&2
        tail -n 20 "$RUN/$n.log" >&2
        stop_all >/dev/null 2>&1 || true
        die "start failed ($n)"
      fi
      out="$(health "$n")"
      [ "${out##*$'\n'}" = 200 ] || pending="$pending $n"
    done
    [ -z "$pending" ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      stop_all >/dev/null 2>&1 || true
      die "not ready after ${START_TIMEOUT}s:$pending (logs in $RUN)"
    fi
    sleep 1
  done
}

# The readers the gateway routes to (state "up"), from /_cluster/nodes.
routable_readers() {
  curl -s -m 3 "http://$HOST:$READ_PORT/_cluster/nodes" 2>/dev/null | grep -o '"state":"up"' | wc -l
}

cmd_up() {
  mkdir -p "$RUN"
  local running="" n
  for n in "${NODES[@]}"; do
    [ -z "$(pid_of "$n")" ] || running="$running $n"
  done
  [ -z "$running" ] || die "already running in $DATA_DIR:$running ('$0 status' to see them, '$0 down' to stop them)"
  check_prerequisites
  # Build the jar once here, not in four processes at the same time.
  "$root/bin/vecgate" --version >/dev/null || die "bin/vecgate cannot run (see above)"
  echo "local-cluster: starting in $DATA_DIR (logs and pids in $RUN)"
  # The writer first: it forms the Hazelcast cluster the others join.
  start_node writer
  wait_ready writer
  start_node reader-1
  start_node reader-2
  start_node gateway
  wait_ready reader-1 reader-2 gateway
  local deadline=$(( $(date +%s) + 60 ))
  until [ "$(routable_readers)" -ge 2 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "the gateway does not route to both readers after 60s (see $RUN/gateway.log)"
    sleep 1
  done
  cat <<EOF
local-cluster: up
  read endpoint    http://$HOST:$READ_PORT   (searches, gets, /_cluster/nodes)
  write endpoint   http://$HOST:$WRITE_PORT   (dbs, spaces, documents, aliases, /_jobs/rebuild)
  writer           http://$HOST:$WRITER_PORT/health/ready
  readers          http://$HOST:$READER_PORT/health/ready (grpc $GRPC_PORT), http://$HOST:$((READER_PORT + 1))/health/ready (grpc $((GRPC_PORT + 1)))
  aliases          $REDIS_URL (prefix $ALIAS_KEY_PREFIX); Hazelcast cluster $CLUSTER_NAME on $(members)
  rebuild source   $PG_URI
  data             $DATA_DIR
EOF
}

stop_all() {
  # The gateway first (in-flight requests finish), the writer last (acknowledged writes are in its WAL anyway).
  local order=(gateway reader-1 reader-2 writer) n pid deadline left
  for n in "${order[@]}"; do
    pid="$(pid_of "$n")"
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      echo "local-cluster: $n (pid $pid): SIGTERM"
    fi
  done
  deadline=$(( $(date +%s) + STOP_GRACE ))
  while :; do
    left=""
    for n in "${order[@]}"; do
      if [ -n "$(pid_of "$n")" ]; then
        left="$left $n"
      fi
    done
    if [ -z "$left" ]; then
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      for n in $left; do
        pid="$(pid_of "$n")"
        if [ -n "$pid" ]; then
          kill -KILL "$pid" 2>/dev/null || true
          echo "local-cluster: $n (pid $pid) still running after ${STOP_GRACE}s: SIGKILL"
        fi
      done
      sleep 1
      break
    fi
    sleep 0.5
  done
  for n in "${order[@]}"; do
    if [ -z "$(pid_of "$n")" ]; then
      rm -f "$RUN/$n.pid"
    fi
  done
}

cmd_down() {
  local any="" n
  for n in "${NODES[@]}"; do
    [ -z "$(pid_of "$n")" ] || any=1
  done
  if [ -z "$any" ]; then
    echo "local-cluster: nothing running in $DATA_DIR"
    rm -f "$RUN"/*.pid 2>/dev/null || true
    return 0
  fi
  stop_all
  echo "local-cluster: down"
}

cmd_status() {
  local n pid out code body all=0
  printf '%-9s %-8s %-6s %-10s %s\n' NODE PID PORT STATUS DETAIL
  for n in gateway writer reader-1 reader-2; do
    pid="$(pid_of "$n")"
    if [ -z "$pid" ]; then
      printf '%-9s %-8s %-6s %-10s %s\n' "$n" - "$(health_port "$n")" stopped "log: $RUN/$n.log"
      all=3
      continue
    fi
    out="$(health "$n")"
    code="${out##*$'\n'}"
    body="${out%$'\n'*}"
    local st detail
    st="$(printf '%s' "$body" | sed -n 's/.*"status":"\([a-z_]*\)".*/\1/p')"
    detail="$(printf '%s' "$body" | sed -n 's/.*"detail":"\(.*\)"}.*/\1/p')"
    [ "$code" = 200 ] || all=3
    printf '%-9s %-8s %-6s %-10s %s\n' "$n" "$pid" "$(health_port "$n")" "${st:-http $code}" "$detail"
  done
  return "$all"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 up|down|status   (environment: see the top of this script)" >&2
    exit 2
    ;;
esac
