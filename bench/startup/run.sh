#!/usr/bin/env bash
# Time from process start to a finished first trial: `hone optimize` of a one-trial sweep on a new SQLite file,
# the framework-dependent build (JIT) against a ReadyToRun publish, alternating, N rounds; prints medians.
# Usage: bench/startup/run.sh [ROUNDS]   (from the repository root)
set -euo pipefail
rounds=${1:-9}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Hone.Cli -o "$work/jit" >/dev/null
dotnet publish src/Hone.Cli -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
cat > "$work/sweep.yaml" <<'YAML'
study: s
metric: loss
sampler: {name: random, seed: 3}
parameters:
  x: {type: float, low: 0, high: 10}
  y: {type: int, low: 0, high: 5}
command: ["/bin/echo", "{{\"loss\": {x}}}"]
trials: 1
YAML
cd "$work"
for _ in $(seq "$rounds"); do
  for kind in jit r2r; do
    rm -f hone.db
    start=$(date +%s.%N)
    "./$kind/Hone.Cli" optimize sweep.yaml -q >/dev/null
    end=$(date +%s.%N)
    [ "$(sqlite3 hone.db "SELECT count(*) FROM trials WHERE state = 'COMPLETE'" 2>/dev/null || echo 1)" = 1 ] || { echo "no complete trial" >&2; exit 1; }
    echo "$kind $(echo "$end - $start" | bc)"
  done
done | sort -k1,1 -k2,2n | awk '{ t[$1] = t[$1] " " $2; n[$1]++; v[$1, n[$1]] = $2 }
  END { for (k in n) { m = (n[k] % 2) ? v[k, (n[k] + 1) / 2] : (v[k, n[k] / 2] + v[k, n[k] / 2 + 1]) / 2;
        printf "%s median %.3f s over %d runs:%s\n", k, m, n[k], t[k] } }'
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
