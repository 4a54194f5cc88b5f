"""Optuna's NSGA-II and multi-objective TPE on ZDT1, ZDT2, ZDT3, DTLZ2 and the constrained C2-DTLZ2 and Binh-Korn,
the counterpart of `Hone.Bench mo`.

For each (sampler, problem, seed): a study of `--trials` trials minimizing the problem's objectives (constrained
problems: the samplers get `constraints_func`, reading the values the objective stored). Prints JSON: per run, the
objective values of every complete trial in trial order, their constraint values (constrained problems; <= 0 is
satisfied), and the wall time of study.optimize; the hypervolumes are computed by the bench, with the same code for
both libraries.
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


def c2dtlz2(x):
    """DTLZ2 feasible only within r = 0.4 of its front's corners and centre (Jain and Deb 2014); constraint <= 0."""
    f = dtlz2(x)
    m, r = len(f), 0.4
    corners = min((f[i] - 1) ** 2 + sum(f[j] ** 2 for j in range(m) if j != i) - r * r for i in range(m))
    centre = sum((v - 1 / math.sqrt(m)) ** 2 for v in f) - r * r
    return f, [min(corners, centre)]


def binh_korn(x):
    """Binh and Korn (1997): x in [0, 5], y in [0, 3]; two constraints <= 0."""
    a, b = x
    f = [4 * a * a + 4 * b * b, (a - 5) ** 2 + (b - 5) ** 2]
    return f, [(a - 5) ** 2 + b * b - 25, 7.7 - ((a - 8) ** 2 + (b + 3) ** 2)]


PROBLEMS = {"zdt1": (zdt1, 2), "zdt2": (zdt2, 2), "zdt3": (zdt3, 2), "dtlz2": (dtlz2, 3)}
CONSTRAINED = {"c2dtlz2": (c2dtlz2, 3), "binhkorn": (binh_korn, 2)}


def constraints_func(trial):
    return trial.user_attrs["constraints"]


def make_sampler(name, seed, population, constrained=False):
    constraints = {"constraints_func": constraints_func} if constrained else {}
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, population_size=population, **constraints)
    if name == "nsga2-sbx":
        return optuna.samplers.NSGAIISampler(
            seed=seed, population_size=population, crossover=optuna.samplers.nsgaii.SBXCrossover(), **constraints
        )
    if name == "motpe":
        # TPESampler on a study with several directions is Optuna's multi-objective TPE (its defaults).
        return optuna.samplers.TPESampler(seed=seed, **constraints)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name!r}; known: nsga2, nsga2-sbx, motpe, random")


def run(sampler, problem, dims, trials, seed, population):
    constrained = problem in CONSTRAINED
    function, objectives = CONSTRAINED[problem] if constrained else PROBLEMS[problem]
    study = optuna.create_study(
        directions=["minimize"] * objectives, sampler=make_sampler(sampler, seed, population, constrained)
    )

    def objective(trial):
        if not constrained:
            return function([trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(dims)])
        if problem == "binhkorn":
            x = [trial.suggest_float("x0", 0.0, 5.0), trial.suggest_float("x1", 0.0, 3.0)]
        else:
            x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(dims)]
        values, constraints = function(x)
        trial.set_user_attr("constraints", constraints)
        return values

    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    elapsed = time.perf_counter() - start
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    result = {
        "sampler": sampler,
        "problem": problem,
        "seed": seed,
        "seconds": elapsed,
        "values": [list(t.values) for t in complete],
    }
    if constrained:
        result["constraints"] = [list(t.user_attrs["constraints"]) for t in complete]
    return result


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
            dims = args.dtlz_dims if problem in ("dtlz2", "c2dtlz2") else args.zdt_dims
            for seed in range(args.seeds):
                n = args.tpe_trials if sampler == "motpe" and args.tpe_trials else args.trials
                results.append(run(sampler, problem, dims, n, seed, args.population))
    print(json.dumps({"optuna_version": optuna.__version__, "results": results}))


if __name__ == "__main__":
    main()
