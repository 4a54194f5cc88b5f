"""Optuna's side of `Hone.Bench mo-cost`: the time per suggestion of its multi-objective samplers and of its exact
hypervolume (optuna._hypervolume.WFG) on the points the bench wrote.

Suggestion: a two-objective ZDT1 study of `--dims` floats with `--trials` complete trials (proposed by the sampler for
NSGA-II, whose generations live in the trials' system attributes; random ones added with add_trials for TPE), then
`--asks` timed rounds of ask() + suggest_float per parameter (tell after the timer); median after a warm-up ask.
Hypervolume: for each objectives:count in `--hv`, WFG().compute on those points with reference 1.1, repeated up to
`--hv-repeats` times while the total stays under `--budget` seconds (at least once). Prints JSON.
"""

import argparse
import json
import logging
import random
import statistics
import time
import warnings

import numpy as np
import optuna
from optuna._hypervolume import WFG


def zdt1(x):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return [x[0], g * (1 - (x[0] / g) ** 0.5)]


def make_sampler(name, seed):
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    if name == "motpe":
        return optuna.samplers.TPESampler(seed=seed)
    raise SystemExit(f"unknown sampler {name!r}; known: nsga2, motpe")


def suggestion(name, trials, dims, asks, seed):
    names = [f"x{i}" for i in range(dims)]
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=make_sampler(name, seed))
    if name.startswith("nsga"):
        study.optimize(lambda t: zdt1([t.suggest_float(n, 0.0, 1.0) for n in names]), n_trials=trials)
    else:
        rng = random.Random(seed)
        distributions = {n: optuna.distributions.FloatDistribution(0.0, 1.0) for n in names}
        history = []
        for _ in range(trials):
            x = [rng.random() for _ in names]
            history.append(
                optuna.trial.create_trial(params=dict(zip(names, x)), distributions=distributions, values=zdt1(x))
            )
        study.add_trials(history)
    timings = []
    for i in range(asks + 1):
        start = time.perf_counter()
        trial = study.ask()
        x = [trial.suggest_float(n, 0.0, 1.0) for n in names]
        elapsed = time.perf_counter() - start
        study.tell(trial, zdt1(x))
        if i > 0:
            timings.append(elapsed * 1e3)
    return {"sampler": name, "trials": trials, "median_ms": statistics.median(timings), "ms": timings}


def hypervolume(sets, dims, count, repeats, budget):
    points = next(np.array(s["points"]) for s in sets if s["dims"] == dims and s["count"] == count)
    reference = np.full(dims, 1.1)
    timings, value, total = [], 0.0, 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        value = WFG().compute(points, reference)
        elapsed = time.perf_counter() - start
        timings.append(elapsed * 1e3)
        total += elapsed
        if total > budget:
            break
    return {"dims": dims, "count": count, "median_ms": statistics.median(timings), "repeats": len(timings), "value": value}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samplers", default="nsga2,motpe")
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--dims", type=int, default=10)
    parser.add_argument("--asks", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--points", required=True)
    parser.add_argument("--hv", default="3:1000")
    parser.add_argument("--hv-repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=60)
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    with open(args.points) as f:
        sets = json.load(f)
    result = {"optuna_version": optuna.__version__, "suggestion": [], "hypervolume": []}
    for name in filter(None, args.samplers.split(",")):
        result["suggestion"].append(suggestion(name, args.trials, args.dims, args.asks, args.seed))
    for spec in filter(None, args.hv.split(",")):
        dims, count = map(int, spec.split(":"))
        result["hypervolume"].append(hypervolume(sets, dims, count, args.hv_repeats, args.budget))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
