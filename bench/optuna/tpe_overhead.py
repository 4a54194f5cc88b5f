"""Time per suggestion of Optuna's TPE with many completed trials, the counterpart of `Hone.Bench tpe-overhead`.

For each (trials, dims): a study with `trials` completed random trials of `dims` floats in [0, 1]
(value = sum of squares, added with add_trials), then `--asks` timed rounds of ask() + suggest_float for
every parameter (tell is done after the timer stops). Prints JSON: one entry per configuration with the
median and all timings in milliseconds.
"""

import argparse
import json
import logging
import random
import statistics
import time
import warnings

import optuna


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "tpe-multivariate":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    raise SystemExit(f"unknown sampler {name!r}; known: tpe, tpe-multivariate")


def measure(sampler_name, trials, dims, asks, seed):
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(dims)]
    distributions = {name: optuna.distributions.FloatDistribution(0.0, 1.0) for name in names}
    study = optuna.create_study(sampler=make_sampler(sampler_name, seed))
    history = []
    for _ in range(trials):
        params = {name: rng.random() for name in names}
        history.append(
            optuna.trial.create_trial(
                params=params, distributions=distributions, value=sum(v * v for v in params.values())
            )
        )
    study.add_trials(history)

    timings = []
    for i in range(asks + 1):
        start = time.perf_counter()
        trial = study.ask()
        values = [trial.suggest_float(name, 0.0, 1.0) for name in names]
        elapsed = time.perf_counter() - start
        study.tell(trial, sum(v * v for v in values))
        if i > 0:  # the first ask is a warm-up
            timings.append(elapsed * 1e3)
    return {
        "sampler": sampler_name,
        "trials": trials,
        "dims": dims,
        "median_ms": statistics.median(timings),
        "ms": timings,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samplers", default="tpe")
    parser.add_argument("--trials", default="1000,10000")
    parser.add_argument("--dims", default="5,20")
    parser.add_argument("--asks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    results = []
    for sampler in args.samplers.split(","):
        for trials in map(int, args.trials.split(",")):
            for dims in map(int, args.dims.split(",")):
                results.append(measure(sampler, trials, dims, args.asks, args.seed))
    print(json.dumps({"optuna_version": optuna.__version__, "results": results}))


if __name__ == "__main__":
    main()
