"""The synthetic suite on Optuna, the counterpart of `Hone.Bench suite`.

Same functions, spaces and optima (from bench/functions.json), budgets and seeds as the Hone side; one
JSON line per (function, sampler, seed) with the best value after each trial, in the same format:

  {"framework": "optuna", "function": ..., "sampler": ..., "seed": ..., "budget": ..., "optimum": ...,
   "best_so_far": [...], "elapsed_seconds": ..., "version": ...}

Sampler names match Hone's where the algorithm is the same, so `compare` can pair them.
"""

import argparse
import json
import logging
import multiprocessing
import sys
import time
import warnings

import optuna

from functions import load_problems


def make_sampler(name, seed):
    samplers = optuna.samplers
    if name == "random":
        return samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return samplers.TPESampler(seed=seed)
    if name == "tpe-multivariate":
        return samplers.TPESampler(seed=seed, multivariate=True)
    if name == "tpe-multivariate-group":
        return samplers.TPESampler(seed=seed, multivariate=True, group=True)
    if name == "cmaes":
        return samplers.CmaEsSampler(seed=seed)
    if name == "qmc":
        # Scrambled, so that seeds give different sequences (unscrambled Sobol ignores the seed).
        return samplers.QMCSampler(seed=seed, scramble=True)
    raise SystemExit(f"unknown Optuna sampler {name!r}; known: {', '.join(SAMPLERS)}")


SAMPLERS = ["random", "tpe", "tpe-multivariate", "tpe-multivariate-group", "cmaes", "qmc"]


def quiet():
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")


def run_one(job):
    function, sampler, seed, budget = job
    quiet()
    problem = load_problems()[function]
    start = time.perf_counter()
    study = optuna.create_study(sampler=make_sampler(sampler, seed))
    study.optimize(problem, n_trials=budget, n_jobs=1)
    elapsed = time.perf_counter() - start
    best = None
    curve = []
    for trial in sorted(study.trials, key=lambda t: t.number):
        if trial.state == optuna.trial.TrialState.COMPLETE:
            best = trial.value if best is None else min(best, trial.value)
        curve.append(best)
    return {
        "framework": "optuna",
        "function": function,
        "sampler": sampler,
        "seed": seed,
        "budget": budget,
        "optimum": problem.optimum,
        "best_so_far": curve,
        "elapsed_seconds": elapsed,
        "version": optuna.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samplers", default="random,tpe")
    parser.add_argument("--seeds", type=int, default=10)
    # From 1: Optuna 3.1's QMCSampler takes seed 0 for "no seed" (`seed or random`) and is then not reproducible.
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--functions", default=None, help="comma-separated; default: all of functions.json")
    parser.add_argument("--out", required=True, help="JSON-lines file to write")
    parser.add_argument("--jobs", type=int, default=1, help="runs in parallel (processes)")
    args = parser.parse_args()

    quiet()
    problems = load_problems()
    functions = args.functions.split(",") if args.functions else list(problems)
    samplers = args.samplers.split(",")
    for f in functions:
        if f not in problems:
            raise SystemExit(f"unknown function {f!r}; known: {', '.join(problems)}")
    for s in samplers:
        if s not in SAMPLERS:
            raise SystemExit(f"unknown Optuna sampler {s!r}; known: {', '.join(SAMPLERS)}")

    jobs = [
        (f, s, seed, args.budget)
        for f in functions
        for s in samplers
        for seed in range(args.first_seed, args.first_seed + args.seeds)
    ]
    with open(args.out, "w", encoding="utf-8") as out:
        if args.jobs > 1:
            with multiprocessing.Pool(args.jobs) as pool:
                results = pool.imap(run_one, jobs)
                write_all(results, out, len(jobs))
        else:
            write_all(map(run_one, jobs), out, len(jobs))


def write_all(results, out, total):
    for i, record in enumerate(results, 1):
        out.write(json.dumps(record, allow_nan=False) + "\n")
        out.flush()
        print(
            f"[{i}/{total}] optuna {record['function']} {record['sampler']} seed {record['seed']}: "
            f"best {record['best_so_far'][-1]:.6g} in {record['elapsed_seconds']:.2f} s",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
