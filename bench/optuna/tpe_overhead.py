"""Time per suggestion of Optuna's TPE or CMA-ES with many completed trials, the counterpart of `Hone.Bench tpe-overhead`.

For each (trials, dims): a study with `trials` completed trials of `dims` floats in [0, 1] (value = sum of
squares): random ones added with add_trials (`--fill random`, the default) or ones the sampler proposed
(`--fill sampler`: study.optimize for `trials` trials first), then `--asks` timed rounds of ask() + suggest_float for
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
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name!r}; known: tpe, tpe-multivariate, cmaes")


def measure(sampler_name, trials, dims, asks, seed, fill):
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(dims)]
    distributions = {name: optuna.distributions.FloatDistribution(0.0, 1.0) for name in names}
    study = optuna.create_study(sampler=make_sampler(sampler_name, seed))
    if fill == "sampler":
        study.optimize(lambda t: sum(t.suggest_float(name, 0.0, 1.0) ** 2 for name in names), n_trials=trials)
    history = []
    for _ in range(trials if fill == "random" else 0):
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
        "fill": fill,
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
    parser.add_argument("--fill", choices=["random", "sampler"], default="random")
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    results = []
    for sampler in args.samplers.split(","):
        for trials in map(int, args.trials.split(",")):
            for dims in map(int, args.dims.split(",")):
                results.append(measure(sampler, trials, dims, args.asks, args.seed, args.fill))
    print(json.dumps({"optuna_version": optuna.__version__, "results": results}))


if __name__ == "__main__":
    main()
