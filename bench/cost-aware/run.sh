#!/usr/bin/env bash
# Cost-aware search (the default) against --no-cost-aware at equal CPU time: each run tunes until its trials have used
# the CPU budget (--cpu-budget; -n is set high so the budget is what stops it), then reports the best trial's CV score
# and the refit model's test score from summary.json. Pairs are matched by dataset and seed; the summary gives the mean
# paired difference (cost-aware minus plain, in the metric's better direction) with a 95% t interval.
# Usage: bench/cost-aware/run.sh SEEDS DATASET:BUDGET...   e.g.  bench/cost-aware/run.sh 5 breast_cancer:20s wine_data:10s
#        (from the repository root, after dotnet build -c Release src/Hone.Cli; wrap it in flock /tmp/hone-bench.lock)
set -euo pipefail
seeds=${1:-5}
shift || true
specs=("${@:-breast_cancer:20s}")
hone=src/Hone.Cli/bin/Release/net10.0/Hone.Cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
uptime
results="$out/results.tsv"
for spec in "${specs[@]}"; do
  name=${spec%%:*}; budget=${spec#*:}
  data=data/$name.csv; [ -f "$data" ] || data=data/$name.csv.gz
  for ((seed = 0; seed < seeds; seed++)); do
    for arm in cost-aware plain; do
      dir="$out/$name-$arm-$seed"
      flag=(); [ "$arm" = plain ] && flag=(--no-cost-aware)
      "$hone" tune --data "$data" --storage inmemory -n 100000 --cpu-budget "$budget" --seed "$seed" --quiet --out "$dir" "${flag[@]}" \
        > "$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
      /usr/bin/python3 - "$dir/summary.json" "$name" "$arm" "$seed" >> "$results" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); b = s["best"]
sign = 1 if s["direction"] == "maximize" else -1
print("\t".join([sys.argv[2], sys.argv[3], sys.argv[4], s["metric"], str(sign), f"{b['cv']['mean']:.6f}", f"{s['test']['value']:.6f}",
                 str(s["trials"]["run"]), f"{s['resources']['cpu_seconds']:.1f}", b["trainer"]]))
PY
      tail -n 1 "$results"
    done
  done
done
uptime
/usr/bin/python3 - "$results" <<'PY'
import sys, statistics as st
from collections import defaultdict
from scipy import stats
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = defaultdict(dict)
for name, arm, seed, metric, sign, cv, test, trials, cpu, trainer in rows:
    by[(name, metric, int(sign))].setdefault(arm, {})[seed] = (float(cv), float(test), int(trials), float(cpu))
print("\n| dataset (metric, budget) | arm | median CV | median test | median trials | median CPU s |")
print("|---|---|---:|---:|---:|---:|")
for (name, metric, sign), arms in by.items():
    for arm, runs in arms.items():
        v = list(runs.values())
        print(f"| {name} ({metric}) | {arm} | {st.median(x[0] for x in v):.4f} | {st.median(x[1] for x in v):.4f} | {st.median(x[2] for x in v):.0f} | {st.median(x[3] for x in v):.1f} |")
print("\n| dataset | paired n | CV: cost-aware − plain [95% CI] | test: cost-aware − plain [95% CI] |")
print("|---|---:|---|---|")
for (name, metric, sign), arms in by.items():
    seeds = sorted(set(arms.get("cost-aware", {})) & set(arms.get("plain", {})))
    cells = []
    for i in (0, 1):
        d = [sign * (arms["cost-aware"][s][i] - arms["plain"][s][i]) for s in seeds]
        m = st.mean(d)
        if len(d) > 1 and st.stdev(d) > 0:
            h = stats.t.ppf(0.975, len(d) - 1) * st.stdev(d) / len(d) ** 0.5
            p = stats.ttest_1samp(d, 0).pvalue
            cells.append(f"{m:+.4f} [{m - h:+.4f}, {m + h:+.4f}], p = {p:.2f}")
        else:
            cells.append(f"{m:+.4f}")
    print(f"| {name} ({metric}) | {len(seeds)} | {cells[0]} | {cells[1]} |")
print("(differences are signed so that positive means cost-aware is better)")
PY
