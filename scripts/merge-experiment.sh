#!/usr/bin/env bash
# The query-merging experiment of the source texts (issue 5), on spaces already loaded into a
# data directory: for merging off, then on, a fresh standalone on that directory, then for each
# space a discarded warm-up load (WARM_SECONDS with CLIENTS clients: JIT and page cache), then
# `bench load` with one client and with CLIENTS clients. Prints bench load's report (QPS,
# p50/p99, mean merged batch, recall) per run.
#
#   scripts/merge-experiment.sh DATA_DIR QUERY_FVECS GT_IVECS DB/SPACE[:NPROBE]...
#
# e.g. scripts/merge-experiment.sh ./data-bench u1m/query.fvecs u1m/groundtruth.ivecs \
#        bench/u2048 bench/u1024
#
# Environment (defaults in brackets): MODES ["off on"; "off on off on" alternates], CLIENTS [64],
# WARM_SECONDS [15], ONE_SECONDS [20], MANY_SECONDS [30], K [10], NPROBE [16], STANDALONE_ARGS
# (more standalone options, e.g. "--merge-wait 1ms"), READ_PORT [8080], WRITE_PORT [8081].
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 4 ]; then
  sed -n '2,15p' "$0" >&2
  exit 2
fi
data_dir="$1" query="$2" gt="$3"
shift 3
MODES="${MODES:-off on}" CLIENTS="${CLIENTS:-64}" K="${K:-10}" NPROBE="${NPROBE:-16}"
WARM_SECONDS="${WARM_SECONDS:-15}" ONE_SECONDS="${ONE_SECONDS:-20}" MANY_SECONDS="${MANY_SECONDS:-30}"
READ_PORT="${READ_PORT:-8080}" WRITE_PORT="${WRITE_PORT:-8081}"
log="$data_dir/merge-experiment.log"
pid=""

stop() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
trap stop EXIT

for mode in $MODES; do
  # shellcheck disable=SC2086
  "$root/bin/vecgate" standalone --data-dir "$data_dir" --read-port "$READ_PORT" --write-port "$WRITE_PORT" \
    --query-merge "$mode" ${STANDALONE_ARGS:-} >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$READ_PORT/health/ready" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "standalone exited; see $log" >&2; exit 1; }
    sleep 1
  done
  curl -sf "http://127.0.0.1:$READ_PORT/health/ready" >/dev/null || { echo "standalone not ready; see $log" >&2; exit 1; }
  for target in "$@"; do
    space="${target%%:*}" nprobe="$NPROBE"
    [ "$space" = "$target" ] || nprobe="${target#*:}"
    "$root/bin/vecgate" bench load --url "http://127.0.0.1:$READ_PORT" --db "${space%%/*}" --space "${space#*/}" \
      --query "$query" --k "$K" --nprobe "$nprobe" --concurrency "$CLIENTS" --duration "${WARM_SECONDS}s" >/dev/null 2>&1
    for clients in 1 "$CLIENTS"; do
      seconds="$ONE_SECONDS"
      [ "$clients" = 1 ] || seconds="$MANY_SECONDS"
      echo "== merging $mode, $space, nprobe $nprobe, $clients client(s), ${seconds}s"
      "$root/bin/vecgate" bench load --url "http://127.0.0.1:$READ_PORT" --db "${space%%/*}" --space "${space#*/}" \
        --query "$query" --gt "$gt" --k "$K" --nprobe "$nprobe" --concurrency "$clients" --duration "${seconds}s" \
        2>&1 | grep -v '^WARNING'
    done
  done
  stop
done
