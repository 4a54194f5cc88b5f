"""The pruner benchmark on Optuna, the counterpart of `Hone.Bench pruners`.

Same problems (formulas and training loop written the same way in bench/Hone.Bench/Commands/PrunerProblems.cs),
pruners, trial counts, budgets and seeds as the Hone side; one JSON line per (problem, pruner, seed):

  {"framework": "optuna", "problem": ..., "pruner": ..., "seed": ..., "steps": [...], "values": [...],
   "elapsed_seconds": ..., "version": ...}

steps[i] is how many steps trial i ran (its last reported step), values[i] its final value, or null if pruned.
A run goes on until it has run --trials trials and used --trials x max-steps steps, or --max-trials trials.
"""

import argparse
import gzip
import json
import logging
import math
import os
import sys
import time
import warnings

import numpy as np
import optuna


# Synthetic learning curves (minimize): y(t) = f + t^-a + o (t/R)^2 + 0.002 e_t, t = 1..R, e_t ~ N(0, 1).
#   u = log10(lr) in [-4, 0], w = log2(width) in [3, 9], p = dropout in [0, 0.6]
#   f = 0.05 + 0.08 (u + 1.5)^2 + 0.02 (w - 7)^2 + 0.5 (p - 0.25)^2     asymptote
#   a = 0.3 + 0.15 (u + 4)                                                speed: large rates learn fast
#   o = 0.05 max(0, w - 6) / 3 (1 - p / 0.6)                              overfitting: wide, undropped nets rise late
def curve_value(lr, width, dropout, t, steps):
    u = math.log10(lr)
    w = math.log2(width)
    f = 0.05 + 0.08 * (u + 1.5) ** 2 + 0.02 * (w - 7) ** 2 + 0.5 * (dropout - 0.25) ** 2
    a = 0.3 + 0.15 * (u + 4)
    o = 0.05 * max(0.0, w - 6) / 3 * (1 - dropout / 0.6)
    return f + t ** (-a) + o * (t / steps) ** 2


def curves_objective(seed, steps):
    def objective(trial, record):
        lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
        width = trial.suggest_int("width", 8, 512, log=True)
        dropout = trial.suggest_float("dropout", 0.0, 0.6)
        rng = np.random.default_rng([seed, trial.number])
        y = math.nan
        for t in range(1, steps + 1):
            y = curve_value(lr, width, dropout, t, steps) + 0.002 * rng.standard_normal()
            trial.report(y, t)
            if trial.should_prune():
                record(t, None)
                raise optuna.TrialPruned()
        record(steps, y)
        return y

    return objective


# Softmax regression on digits (data/digits.csv.gz: 1,797 x 64, pixels / 16), first 1,200 rows to train, the rest
# to validate; minibatch SGD with momentum and L2; one step = one epoch; the value is the validation log-loss
# (capped at 10; a diverged run reports 10).
def load_digits(root):
    with gzip.open(os.path.join(root, "data", "digits.csv.gz"), "rt") as f:
        data = np.loadtxt(f, delimiter=",")
    x = data[:, :64] / 16.0
    y = data[:, 64].astype(int)
    return x[:1200], y[:1200], x[1200:], y[1200:]


def digits_objective(seed, steps, data):
    xt, yt, xv, yv = data
    onehot = np.eye(10)[yt]

    def log_loss(w, b):
        z = xv @ w + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return -logp[np.arange(len(yv)), yv].mean()

    def objective(trial, record):
        lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
        l2 = trial.suggest_float("l2", 1e-6, 1e-1, log=True)
        momentum = trial.suggest_float("momentum", 0.0, 0.99)
        batch = trial.suggest_categorical("batch", [16, 32, 64, 128])
        rng = np.random.default_rng([seed, trial.number])
        w = np.zeros((64, 10))
        b = np.zeros(10)
        vw = np.zeros_like(w)
        vb = np.zeros_like(b)
        y = 10.0
        for t in range(1, steps + 1):
            order = rng.permutation(len(yt))
            with np.errstate(all="ignore"):
                for start in range(0, len(order), batch):
                    idx = order[start:start + batch]
                    z = xt[idx] @ w + b
                    z -= z.max(axis=1, keepdims=True)
                    p = np.exp(z)
                    p /= p.sum(axis=1, keepdims=True)
                    g = (p - onehot[idx]) / len(idx)
                    vw = momentum * vw - lr * (xt[idx].T @ g + l2 * w)
                    vb = momentum * vb - lr * g.sum(axis=0)
                    w += vw
                    b += vb
                y = log_loss(w, b)
            if not math.isfinite(y) or y > 10:
                y = 10.0
            trial.report(y, t)
            if trial.should_prune():
                record(t, None)
                raise optuna.TrialPruned()
        record(steps, y)
        return y

    return objective


# Per-instance scores (for Hone's Wilcoxon pruner; Optuna 3.1 has none): instance i of R has centre
# c_i = 0.8 (sin 1.7i, cos 2.3i) and loss |x - c_i|^2 + 0.1 |x|_1 over x in [-1, 1]^2; instances are evaluated in a
# shuffled order, instance i's loss reported at step i; the value is the mean; the budget counts instances.
def instance_loss(x1, x2, i):
    c1 = 0.8 * math.sin(1.7 * i)
    c2 = 0.8 * math.cos(2.3 * i)
    return (x1 - c1) ** 2 + (x2 - c2) ** 2 + 0.1 * (abs(x1) + abs(x2))


def instances_objective(seed, steps):
    def objective(trial, record):
        x1 = trial.suggest_float("x1", -1.0, 1.0)
        x2 = trial.suggest_float("x2", -1.0, 1.0)
        order = np.random.default_rng([seed, trial.number]).permutation(steps)
        total = 0.0
        for k, i in enumerate(order):
            loss = instance_loss(x1, x2, int(i))
            total += loss
            trial.report(loss, int(i))
            if trial.should_prune():
                record(k + 1, None)
                raise optuna.TrialPruned()
        record(steps, total / steps)
        return total / steps

    return objective


# The threshold pruner's upper bound per problem, after 3 warm-up steps (as ThresholdUpper in PrunerCommand.cs).
THRESHOLD_UPPER = {"curves": 1.0, "digits": 1.0, "instances": 3.0}


def make_pruner(name, steps, problem):
    p = optuna.pruners
    if name == "none":
        return p.NopPruner()
    if name == "median":
        return p.MedianPruner(n_startup_trials=5, n_warmup_steps=3)
    if name == "percentile":
        return p.PercentilePruner(25.0, n_startup_trials=5, n_warmup_steps=3)
    if name == "threshold":
        return p.ThresholdPruner(upper=THRESHOLD_UPPER[problem], n_warmup_steps=3)
    if name == "patient":
        # Experimental in Optuna 3.1 (the ExperimentalWarning is silenced in main).
        return p.PatientPruner(p.MedianPruner(n_startup_trials=5, n_warmup_steps=3), patience=3)
    if name == "asha":
        return p.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    if name == "hyperband":
        return p.HyperbandPruner(min_resource=1, max_resource=steps, reduction_factor=3)
    raise SystemExit(f"unknown pruner {name}")


def run(problem, pruner_name, seed, args, data):
    steps_per_trial = args.steps
    if problem == "curves":
        objective = curves_objective(seed, steps_per_trial)
    elif problem == "instances":
        objective = instances_objective(seed, steps_per_trial)
    else:
        objective = digits_objective(seed, steps_per_trial, data)
    # Hyperband's brackets hash the study name: a fixed name makes runs repeatable.
    study = optuna.create_study(study_name=f"pruners-{problem}-{pruner_name}-{seed}", sampler=optuna.samplers.TPESampler(seed=seed),
                                pruner=make_pruner(pruner_name, steps_per_trial, problem))
    steps, values = [], []
    budget = args.trials * steps_per_trial

    def record(s, v):
        steps.append(s)
        values.append(v)

    def stop_when_done(study, _trial):
        if (len(steps) >= args.trials and sum(steps) >= budget) or len(steps) >= args.max_trials:
            study.stop()

    start = time.perf_counter()
    study.optimize(lambda t: objective(t, record), n_trials=args.max_trials, callbacks=[stop_when_done])
    elapsed = time.perf_counter() - start
    return {"framework": "optuna", "problem": problem, "pruner": pruner_name, "seed": seed, "steps": steps,
            "values": values, "elapsed_seconds": elapsed, "version": optuna.__version__}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", default="curves")
    parser.add_argument("--pruners", default="none,median,asha,hyperband")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--max-trials", type=int, default=600)
    parser.add_argument("--steps", type=int, default=27)
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    data = None
    for problem in args.problems.split(","):
        if problem == "digits" and data is None:
            data = load_digits(args.root)
        for pruner in args.pruners.split(","):
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                result = run(problem, pruner, seed, args, data)
                print(json.dumps(result), flush=True)
                print(f"optuna {problem} {pruner} seed {seed}: {len(result['steps'])} trials, "
                      f"{result['elapsed_seconds']:.1f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
