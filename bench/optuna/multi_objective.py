"""Optuna's NSGA-II and multi-objective TPE on ZDT1, ZDT2, ZDT3 and DTLZ2, the counterpart of `Hone.Bench mo`.

For each (sampler, problem, seed): a study of `--trials` trials minimizing the problem's objectives. Prints JSON:
per run, the objective values of every complete trial in trial order (the hypervolumes are computed by the bench,
with the same code for both libraries) and the wall time of study.optimize.
"""

import argparse
import json
import logging
import math
import time
import warnings

import optuna


def zdt1(x):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a = x[0] * math.pi / 2
    b = x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a)]


def zdt3(x):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    r = x[0] / g
    return [x[0], g * (1 - math.sqrt(r) - r * math.sin(10 * math.pi * x[0]))]


PROBLEMS = {"zdt1": (zdt1, 2), "zdt2": (zdt2, 2), "zdt3": (zdt3, 2), "dtlz2": (dtlz2, 3)}


def make_sampler(name, seed, population):
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, population_size=population)
    if name == "nsga2-sbx":
        return optuna.samplers.NSGAIISampler(
            seed=seed, population_size=population, crossover=optuna.samplers.nsgaii.SBXCrossover()
        )
    if name == "motpe":
        # TPESampler on a study with several directions is Optuna's multi-objective TPE (its defaults).
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name!r}; known: nsga2, nsga2-sbx, motpe, random")


def run(sampler, problem, dims, trials, seed, population):
    function, objectives = PROBLEMS[problem]
    study = optuna.create_study(
        directions=["minimize"] * objectives, sampler=make_sampler(sampler, seed, population)
    )

    def objective(trial):
        return function([trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(dims)])

    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    elapsed = time.perf_counter() - start
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    return {
        "sampler": sampler,
        "problem": problem,
        "seed": seed,
        "seconds": elapsed,
        "values": [list(t.values) for t in complete],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samplers", default="nsga2")
    parser.add_argument("--problems", default="zdt1,zdt2,dtlz2")
    parser.add_argument("--zdt-dims", type=int, default=30)
    parser.add_argument("--dtlz-dims", type=int, default=12)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--population", type=int, default=50)
    parser.add_argument("--tpe-trials", type=int, default=None, help="trials of the TPE runs (default: --trials)")
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    results = []
    for sampler in args.samplers.split(","):
        for problem in args.problems.split(","):
            dims = args.dtlz_dims if problem == "dtlz2" else args.zdt_dims
            for seed in range(args.seeds):
                n = args.tpe_trials if sampler == "motpe" and args.tpe_trials else args.trials
                results.append(run(sampler, problem, dims, n, seed, args.population))
    print(json.dumps({"optuna_version": optuna.__version__, "results": results}))


if __name__ == "__main__":
    main()
