"""A toy "training" script for `hone optimize`: no dependencies, runs in a fraction of a second.

It reads its hyperparameters the three ways hone offers (argv, HONE_PARAM_* environment variables and the
JSON file in HONE_PARAMS_FILE), reports a validation loss after each epoch with `hone:report` lines (so
the pruner can stop bad runs early), and prints its final metrics as the last JSON line of stdout.
"""
import argparse
import json
import math
import os
import random
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--layers", type=int, required=True)
parser.add_argument("--momentum", type=float, default=0.0)  # only passed when optimizer is sgd
args = parser.parse_args()

optimizer = os.environ["HONE_PARAM_OPTIMIZER"]  # from the environment
with open(os.environ["HONE_PARAMS_FILE"]) as f:  # everything, as JSON
    params = json.load(f)
dropout = params["dropout"]

# A made-up loss surface: best near lr = 0.01, 3 layers, dropout 0.2, adam (or sgd with momentum ~0.9).
rng = random.Random(int(os.environ.get("HONE_TRIAL_NUMBER", "0")))
floor = (math.log10(args.lr) + 2) ** 2 * 0.3 + (args.layers - 3) ** 2 * 0.05 + (dropout - 0.2) ** 2
if optimizer == "sgd":
    floor += (0.9 - args.momentum) ** 2 * 0.5

loss = 2.5
for epoch in range(20):
    loss = floor + (loss - floor) * 0.75 + rng.gauss(0, 0.01)
    print(f"hone:report step={epoch} value={loss:.6f}", flush=True)

if args.lr > 0.5:
    print("diverged: the learning rate is too high", file=sys.stderr)
    sys.exit(1)

print(json.dumps({"val_loss": loss, "epochs": 20}))
