#!/usr/bin/env bash
# Runs vecgate and its peers (faiss, hnswlib) on one TEXMEX dataset with the same parameters,
# one CSV per engine and index, then prints a markdown table of all of them.
#
#   bench/peers/compare.sh DATA_DIR RESULTS_DIR
#
# DATA_DIR holds base.fvecs, query.fvecs and groundtruth.ivecs (as `vecgate bench gen` writes them,
# or SIFT1M renamed). Knobs (environment):
#   THREADS=2  K=10  QUERIES=0 (all)  NLIST=1024  PQ_M=16  BATCH=1  METRIC=L2
#   INDEXES="FLAT IVF_FLAT IVF_SQ8 IVF_PQ HNSW"   ENGINES="vecgate faiss hnswlib"
#   NPROBES=1,4,16,64   EFS=16,32,64,128,256   HNSW_M=16  EF_CONSTRUCTION=200
#   VECGATE="java ... -jar launcher/target/vecgate.jar bench"  (how to call the Java bench command)
#   PYTHON=/usr/bin/python3
# An index type vecgate does not have yet is reported as skipped; the other engines still run.
set -euo pipefail

DATA=${1:?usage: compare.sh DATA_DIR RESULTS_DIR}
OUT=${2:?usage: compare.sh DATA_DIR RESULTS_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
THREADS=${THREADS:-2}; K=${K:-10}; QUERIES=${QUERIES:-0}; NLIST=${NLIST:-1024}; PQ_M=${PQ_M:-16}
BATCH=${BATCH:-1}; METRIC=${METRIC:-L2}
INDEXES=${INDEXES:-"FLAT IVF_FLAT IVF_SQ8 IVF_PQ HNSW"}
ENGINES=${ENGINES:-"vecgate faiss hnswlib"}
NPROBES=${NPROBES:-1,4,16,64}; EFS=${EFS:-16,32,64,128,256}
HNSW_M=${HNSW_M:-16}; EF_CONSTRUCTION=${EF_CONSTRUCTION:-200}
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JFLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx${JAVA_XMX:-8g}"

if [[ -z "${VECGATE:-}" ]]; then
  if [[ -f "$ROOT/launcher/target/vecgate.jar" ]] && unzip -l "$ROOT/launcher/target/vecgate.jar" | grep -q 'io/vecgate/launcher/Main.class'; then
    VECGATE="$JAVA $JFLAGS -jar $ROOT/launcher/target/vecgate.jar bench"
  else
    # No launcher yet: run the bench module on its own classpath (needs the network once for the dependency plugin).
    CP_FILE="$ROOT/bench/target/classpath.txt"
    [[ -f "$CP_FILE" ]] || (cd "$ROOT" && mvn -q -pl bench dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime)
    VECGATE="$JAVA $JFLAGS -cp $ROOT/bench/target/classes:$(cat "$CP_FILE") io.vecgate.bench.BenchCommand"
  fi
fi

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
    [[ $engine == hnswlib && $index != HNSW ]] && continue
    csv="$OUT/${engine}_${index}.csv"
    echo "=== $engine $index params=[$params] sweep=[$sweep]"
    if [[ $engine == vecgate ]]; then
      $VECGATE ann "${args[@]}" --batch "$BATCH" --csv "$csv" || echo "--- vecgate $index skipped (failed, see above)"
    else
      "$PYTHON" "$ROOT/bench/peers/ann_peers.py" --engine "$engine" "${args[@]}" --csv "$csv" \
        || echo "--- $engine $index failed, see above"
    fi
  done
done

"$PYTHON" "$ROOT/bench/peers/csv2md.py" "$OUT"/*.csv | tee "$OUT/table.md"
