#!/usr/bin/env bash
# Builds bench/peers/hnswlib_native.cpp against Debian's libhnswlib-dev for this CPU and runs it:
#   bench/peers/hnswlib_native.sh DATA_DIR CSV [M] [EF_CONSTRUCTION] [EFS] [K] [THREADS] [METRIC]
# Needs g++ and libhnswlib-dev (apt-get install g++ libhnswlib-dev).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${1:?usage: hnswlib_native.sh DATA_DIR CSV [M] [EF_CONSTRUCTION] [EFS] [K] [THREADS] [METRIC]}
csv=${2:?usage: hnswlib_native.sh DATA_DIR CSV ...}
bin="$here/build/hnswlib_native"
if [[ ! -x "$bin" || "$here/hnswlib_native.cpp" -nt "$bin" ]]; then
  mkdir -p "$here/build"
  g++ -O3 -march=native -std=c++17 -pthread -o "$bin" "$here/hnswlib_native.cpp"
fi
mkdir -p "$(dirname "$csv")"
exec "$bin" "$data/base.fvecs" "$data/query.fvecs" "$data/groundtruth.ivecs" "${8:-L2}" "${3:-16}" "${4:-200}" \
  "${5:-16,32,64,128,256}" "${6:-10}" "${7:-2}" "$csv"
