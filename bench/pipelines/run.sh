#!/usr/bin/env bash
# Pipelines (tuned preprocessing) vs the fixed featurization at equal trials, on breast_cancer (all numeric) and
# penguins (2 categorical columns, NA cells). For penguins the fixed run drops the categorical columns with --ignore,
# which is what a user had to do before pipelines. Prints one line per run from its summary.json.
# Usage: bench/pipelines/run.sh [trials] [seeds...]   (run from the repository root, after
#        dotnet build -c Release src/Hone.Cli; wrap it in flock /tmp/hone-bench.lock on a shared machine)
set -euo pipefail
trials=${1:-30}
shift || true
seeds=("${@:-0}")
hone=src/Hone.Cli/bin/Release/net10.0/Hone.Cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
uptime
run() {
  local name=$1 mode=$2 seed=$3; shift 3
  local dir="$out/$name-$mode-$seed"
  local start=$(date +%s.%N)
  "$hone" tune --storage inmemory -n "$trials" --seed "$seed" --quiet --out "$dir" "$@" > "$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
  local end=$(date +%s.%N)
  python3 - "$dir/summary.json" "$name" "$mode" "$seed" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); b = s["best"]; cv = b["cv"]; t = s["test"]
print(f"{sys.argv[2]:14} {sys.argv[3]:9} seed {sys.argv[4]}  {s['metric']:8} cv {cv['mean']:.4f} [{cv['ci95'][0]:.4f}, {cv['ci95'][1]:.4f}]"
      f"  test {t['value']:.4f} [{t['ci95'][0]:.4f}, {t['ci95'][1]:.4f}]  {b['trainer']:24} wall {float(sys.argv[6]) - float(sys.argv[5]):.0f} s"
      f"  prep {json.dumps(b['preprocessing'])}")
PY
}
for seed in "${seeds[@]}"; do
  run breast_cancer pipelines "$seed" --data data/breast_cancer.csv --task binary --metric auc
  run breast_cancer fixed "$seed" --data data/breast_cancer.csv --task binary --metric auc --fixed-preprocessing
  run penguins pipelines "$seed" --data data/penguins.csv --label species --task multiclass --metric logloss
  run penguins fixed "$seed" --data data/penguins.csv --label species --task multiclass --metric logloss --ignore island,sex --fixed-preprocessing
done
uptime
