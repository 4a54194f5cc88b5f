#!/usr/bin/env bash
# Per-trial overhead of `hone optimize` around a trivial program (/bin/true), against the cost of starting
# that program at all. Prints a Markdown table: wall time and CPU time (user + system, the program's own
# included) per trial or per start, the median of R repetitions, configurations interleaved.
#   bash bench/cli-overhead/run.sh                 # N=300 trials per measurement, R=3
#   N=1000 R=5 bash bench/cli-overhead/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-300}
R=${R:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dotnet build -c Release src/Hone.Cli -v q -nologo > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
DOTNET_NOLOGO=1 dotnet build bench/cli-overhead/spawn.cs -v q > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
HONE=(dotnet src/Hone.Cli/bin/Release/net10.0/Hone.Cli.dll)
echo '{"value": 1}' > "$tmp/result.json"
TIMEFORMAT='%R %U %S'

# Prints "wall cpu" in seconds for one command.
measure() { { time "$@" > /dev/null 2>&1 ; } 2>&1 | awk '{ printf "%.6f %.6f", $1, $2 + $3 }'; }

loop_true() { for ((i = 0; i < $1; i++)); do /bin/true; done; }
loop_setsid() { for ((i = 0; i < $1; i++)); do /usr/bin/setsid -- /bin/true; done; }
spawn() { DOTNET_NOLOGO=1 dotnet run --no-build bench/cli-overhead/spawn.cs -- "$1" "$2"; }

sweep() { # storage sampler trials -> sweep file path
  local dir="$tmp/$1-$2-$3-$RANDOM"
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
  echo "$dir/sweep.yaml"
}

# One sample of a configuration: per-item "wall cpu" in ms, as the slope between n0 and n0 + N items
# (start-up, JIT and study creation cancel out).
sample() {
  local kind=$1 a b
  case $kind in
    bash-true) a=$(measure loop_true 20); b=$(measure loop_true $((20 + N))) ;;
    bash-setsid) a=$(measure loop_setsid 20); b=$(measure loop_setsid $((20 + N))) ;;
    net-true) a=$(measure spawn 20 direct); b=$(measure spawn $((20 + N)) direct) ;;
    net-setsid) a=$(measure spawn 20 setsid); b=$(measure spawn $((20 + N)) setsid) ;;
    hone-*)
      IFS=- read -r _ storage sampler <<< "$kind"
      a=$(measure "${HONE[@]}" optimize "$(sweep "$storage" "$sampler" 20)" --quiet)
      b=$(measure "${HONE[@]}" optimize "$(sweep "$storage" "$sampler" $((20 + N)))" --quiet) ;;
  esac
  echo "$a $b" | awk -v n="$N" '{ printf "%.3f %.3f\n", ($3 - $1) * 1000 / n, ($4 - $2) * 1000 / n }'
}

kinds=(bash-true bash-setsid net-true net-setsid hone-inmemory-random hone-inmemory-tpe hone-sqlite-random hone-sqlite-tpe)
declare -A label=(
  [bash-true]="bash: fork+exec /bin/true"
  [bash-setsid]="bash: setsid -- /bin/true"
  [net-true]=".NET Process.Start(/bin/true), stdio redirected"
  [net-setsid]=".NET Process.Start(setsid -- /bin/true), stdio redirected (what hone does)"
  [hone-inmemory-random]="hone optimize, [/bin/true], inmemory storage, random sampler"
  [hone-inmemory-tpe]="hone optimize, [/bin/true], inmemory storage, tpe sampler"
  [hone-sqlite-random]="hone optimize, [/bin/true], sqlite storage, random sampler"
  [hone-sqlite-tpe]="hone optimize, [/bin/true], sqlite storage, tpe sampler"
)
"${HONE[@]}" optimize "$(sweep inmemory random 5)" --quiet # warm the file cache
for ((r = 0; r < R; r++)); do
  for k in "${kinds[@]}"; do
    sample "$k" >> "$tmp/$k.samples"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "| what (N = $N, median of $R) | wall ms per trial or start | CPU ms per trial or start |"
echo "|---|---:|---:|"
for k in "${kinds[@]}"; do
  wall=$(cut -d' ' -f1 "$tmp/$k.samples" | median)
  cpu=$(cut -d' ' -f2 "$tmp/$k.samples" | median)
  echo "| ${label[$k]} | $wall | $cpu |"
done
echo
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
