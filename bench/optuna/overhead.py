"""Optuna's framework overhead per trial, the counterpart of `Hone.Bench overhead`.

RandomSampler(seed), in-memory storage, n_jobs=1, an objective that only sums `--params` suggest_float
in [0, 1]; the time of one run (study creation included) divided by the number of trials.

Standalone: one warm-up run, then `--repeats` timed runs; prints JSON
{"optuna_version": ..., "us_per_trial": [...], "warmup_us_per_trial": ...}.

With --serve (used by `Hone.Bench overhead`, which alternates Hone and Optuna runs so that both see the
same machine load): prints {"optuna_version": ...}, then answers each line "run SEED" read from stdin with
{"us_per_trial": ...} on one line, until stdin closes.
"""

import argparse
import json
import logging
import sys
import time

import optuna


def objective_for(names):
    def objective(trial):
        total = 0.0
        for name in names:
            total += trial.suggest_float(name, 0.0, 1.0)
        return total

    return objective


def measure(trials, names, seed):
    start = time.perf_counter()
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
    study.optimize(objective_for(names), n_trials=trials, n_jobs=1)
    elapsed = time.perf_counter() - start
    assert len(study.trials) == trials
    return elapsed * 1e6 / trials


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--params", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("optuna").setLevel(logging.WARNING)
    names = [f"x{i}" for i in range(args.params)]

    if args.serve:
        print(json.dumps({"optuna_version": optuna.__version__}), flush=True)
        for line in sys.stdin:
            command, seed = line.split()
            if command != "run":
                raise SystemExit(f"unknown command {command!r}")
            print(json.dumps({"us_per_trial": measure(args.trials, names, int(seed))}), flush=True)
        return

    warmup = measure(args.trials, names, args.seed)
    runs = [measure(args.trials, names, args.seed + r + 1) for r in range(args.repeats)]
    print(json.dumps({"optuna_version": optuna.__version__, "us_per_trial": runs, "warmup_us_per_trial": warmup}))


if __name__ == "__main__":
    main()
