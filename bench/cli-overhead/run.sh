#!/usr/bin/env bash
# Per-trial overhead of `hone optimize` around a trivial program (/bin/true), against the cost of starting
# that program at all. Prints a Markdown table (milliseconds per trial / per start).
#   bash bench/cli-overhead/run.sh            # N=300 trials per measurement
#   N=1000 bash bench/cli-overhead/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dotnet build -c Release src/Hone.Cli -v q -nologo > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
HONE=(dotnet src/Hone.Cli/bin/Release/net10.0/Hone.Cli.dll)

now() { date +%s.%N; }
ms_per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.3f", (b - a) * 1000 / n }'; }

t0=$(now); for ((i = 0; i < N; i++)); do /bin/true; done; t1=$(now)
bash_true=$(ms_per "$t0" "$t1" "$N")
t0=$(now); for ((i = 0; i < N; i++)); do /usr/bin/setsid -- /bin/true; done; t1=$(now)
bash_setsid=$(ms_per "$t0" "$t1" "$N")
DOTNET_NOLOGO=1 dotnet build bench/cli-overhead/spawn.cs -v q >/dev/null 2>&1 || true
net_true=$(DOTNET_NOLOGO=1 dotnet run bench/cli-overhead/spawn.cs -- "$N" direct)
net_setsid=$(DOTNET_NOLOGO=1 dotnet run bench/cli-overhead/spawn.cs -- "$N" setsid)

echo '{"value": 1}' > "$tmp/result.json"
# Per-trial cost = (time for 20+N trials - time for 20 trials) / N: process start-up and study creation cancel out.
hone_run() { # storage sampler trials
  local dir="$tmp/$1-$2-$3"
  mkdir -p "$dir"
  cat > "$dir/sweep.yaml" <<YAML
study: overhead
storage: $( [ "$1" = sqlite ] && echo "sqlite:///hone.db" || echo inmemory )
sampler: {name: $2, seed: 1}
parameters:
  x: {type: float, low: 0, high: 1}
  k: [a, b, c]
command: [/bin/true]
result: {file: $tmp/result.json}
trials: $3
YAML
  local t0 t1
  t0=$(now); "${HONE[@]}" optimize "$dir/sweep.yaml" --quiet; t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }'
}
per_trial() { # storage sampler
  local small big
  hone_run "$1" "$2" 5 >/dev/null # warm the file cache
  small=$(hone_run "$1" "$2" 20)
  big=$(hone_run "$1" "$2" $((20 + N)))
  awk -v a="$small" -v b="$big" -v n="$N" 'BEGIN { printf "%.3f", (b - a) * 1000 / n }'
}

echo "| what (N = $N) | ms per trial or start |"
echo "|---|---:|"
echo "| bash: fork+exec /bin/true | $bash_true |"
echo "| bash: setsid -- /bin/true | $bash_setsid |"
echo "| .NET Process.Start(/bin/true), output redirected | $net_true |"
echo "| .NET Process.Start(setsid -- /bin/true), output redirected | $net_setsid |"
for storage in inmemory sqlite; do
  for sampler in random tpe; do
    echo "| hone optimize, [/bin/true], $storage storage, $sampler sampler | $(per_trial "$storage" "$sampler") |"
  done
done
