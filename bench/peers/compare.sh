#!/usr/bin/env bash
# Runs vecgate and its peers (faiss, hnswlib) on one TEXMEX dataset with the same parameters,
# one CSV per engine and index, then prints a markdown table of all of them.
#
#   bench/peers/compare.sh DATA_DIR RESULTS_DIR
#
# DATA_DIR holds base.fvecs, query.fvecs and groundtruth.ivecs (as `vecgate bench gen` writes them,
# or SIFT1M renamed). Knobs (environment):
#   THREADS=2  K=10  QUERIES=0 (all)  NLIST=1024  PQ_M=16  BATCH=1  METRIC=L2
#   INDEXES="FLAT IVF_FLAT IVF_SQ8 IVF_PQ HNSW"   ENGINES="vecgate faiss hnswlib hnswlib-native"
#   (hnswlib-native: hnswlib_native.cpp built with -march=native; the Debian Python modules are SSE-only builds)
#   NPROBES=1,4,16,64   EFS=16,32,64,128,256   HNSW_M=16  EF_CONSTRUCTION=200
#   VECGATE="bin/vecgate bench"  (how to call the Java bench command)  JAVA_XMX=8g
#   PYTHON=/usr/bin/python3
# An index type vecgate does not have yet is reported as skipped; the other engines still run.
set -euo pipefail

DATA=${1:?usage: compare.sh DATA_DIR RESULTS_DIR}
OUT=${2:?usage: compare.sh DATA_DIR RESULTS_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
THREADS=${THREADS:-2}; K=${K:-10}; QUERIES=${QUERIES:-0}; NLIST=${NLIST:-1024}; PQ_M=${PQ_M:-16}
BATCH=${BATCH:-1}; METRIC=${METRIC:-L2}
INDEXES=${INDEXES:-"FLAT IVF_FLAT IVF_SQ8 IVF_PQ HNSW"}
ENGINES=${ENGINES:-"vecgate faiss hnswlib hnswlib-native"}
NPROBES=${NPROBES:-1,4,16,64}; EFS=${EFS:-16,32,64,128,256}
HNSW_M=${HNSW_M:-16}; EF_CONSTRUCTION=${EF_CONSTRUCTION:-200}
PYTHON=${PYTHON:-/usr/bin/python3}

# bin/vecgate rebuilds the jar when the sources are newer, so results never come from a stale build.
VECGATE=${VECGATE:-"env JAVA_OPTS=-Xmx${JAVA_XMX:-8g} $ROOT/bin/vecgate bench"}

mkdir -p "$OUT"
COMMON=(--base "$DATA/base.fvecs" --query "$DATA/query.fvecs" --gt "$DATA/groundtruth.ivecs"
        --metric "$METRIC" --k "$K" --threads "$THREADS" --queries "$QUERIES")

params_of() {  # build-time params and sweep of one index type, the same for every engine
  case $1 in
    FLAT)     echo "|" ;;
    IVF_FLAT) echo "nlist=$NLIST|nprobe=$NPROBES" ;;
    IVF_SQ8)  echo "nlist=$NLIST|nprobe=$NPROBES" ;;
    IVF_PQ)   echo "nlist=$NLIST,m=$PQ_M,nbits=8|nprobe=$NPROBES" ;;
    HNSW)     echo "M=$HNSW_M,efConstruction=$EF_CONSTRUCTION|ef=$EFS" ;;
  esac
}

for index in $INDEXES; do
  IFS='|' read -r params sweep <<<"$(params_of "$index")"
  args=("${COMMON[@]}" --index "$index" --params "$params")
  [[ -n "$sweep" ]] && args+=(--sweep "$sweep")
  for engine in $ENGINES; do
    [[ $engine == hnswlib* && $index != HNSW ]] && continue
    csv="$OUT/${engine}_${index}.csv"
    echo "=== $engine $index params=[$params] sweep=[$sweep]"
    if [[ $engine == hnswlib-native ]]; then
      "$ROOT/bench/peers/hnswlib_native.sh" "$DATA" "$csv" "$HNSW_M" "$EF_CONSTRUCTION" "$EFS" "$K" "$THREADS" "$METRIC" \
        || echo "--- hnswlib-native failed (needs g++ and libhnswlib-dev), see above"
    elif [[ $engine == vecgate ]]; then
      $VECGATE ann "${args[@]}" --batch "$BATCH" --csv "$csv" || echo "--- vecgate $index skipped (failed, see above)"
    else
      "$PYTHON" "$ROOT/bench/peers/ann_peers.py" --engine "$engine" "${args[@]}" --csv "$csv" \
        || echo "--- $engine $index failed, see above"
    fi
  done
done

"$PYTHON" "$ROOT/bench/peers/csv2md.py" "$OUT"/*.csv | tee "$OUT/table.md"
