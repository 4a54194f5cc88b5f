#!/usr/bin/env bash
# PyTorch MLP on the digits data (examples/nas-torch/train.py, 2 x 64 ReLU units, SGD over lr and momentum), tuned
# through `hone optimize` sweep files by random search, TPE, TPE + Hyperband, PBT and PB2 at about equal compute
# (160 training epochs a run: 8 models x 20 epochs, or 8 members x 5 segments x 4 epochs), one study per method and seed.
# Usage: bench/nas-torch/run.sh [SEEDS] [OUT]   (default 5 seeds, output in /tmp/hone-nas-bench)
# Prints per-seed and median validation/test accuracy of the returned model and the epochs trained (summarize.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seeds="${1:-5}"
out="${2:-/tmp/hone-nas-bench}"
rm -rf "$out" && mkdir -p "$out"
dotnet build -c Release "$root/src/Hone.Cli" -v q -nologo >/dev/null
hone="$(ls "$root"/src/Hone.Cli/bin/Release/net*/Hone.Cli.dll | head -n 1)"
methods="random tpe hyperband pbt pb2"
for seed in $(seq 1 "$seeds"); do
  for m in $methods; do
    dir="$out/seed$seed/$m"; mkdir -p "$dir"
    { sed "s/@SEED@/$seed/g" "$here/$m.yaml.in"; sed "s#@TRAIN@#$root/examples/nas-torch/train.py#" "$here/common.yaml.in"; } > "$dir/sweep.yaml"
    start=$(date +%s.%N)
    dotnet "$hone" optimize "$dir/sweep.yaml" --storage "sqlite:///$dir/hone.db" --quiet > "$dir/out.txt" 2>&1 || { echo "seed $seed $m failed:"; tail -20 "$dir/out.txt"; exit 1; }
    echo "$(date +%s.%N) - $start" | bc > "$dir/seconds"
    echo "seed $seed $m: $(cat "$dir/seconds") s"
  done
done
/usr/bin/python3 "$here/summarize.py" "$out" $methods
