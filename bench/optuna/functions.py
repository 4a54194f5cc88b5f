"""The synthetic suite of Hone's benchmarks, for Optuna.

Search spaces and optima are not repeated here: they come from bench/functions.json, which
`dotnet run --project bench/Hone.Bench -- functions` writes from the C# definitions
(bench/Hone.Bench/Problems). Only the formulas are written twice, and `suite --check` verifies that
both sides give the same value at the same points.
"""

import json
import math
import os

import optuna

FUNCTIONS_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "functions.json")


class Problem:
    """A problem of the suite: its space and optimum from functions.json, its formula from FORMULAS."""

    def __init__(self, spec):
        self.name = spec["name"]
        self.optimum = spec["optimum"]
        self.distributions = {
            name: optuna.distributions.json_to_distribution(json.dumps(d)) for name, d in spec["params"].items()
        }
        self._formula = FORMULAS[self.name]

    def suggest(self, trial, name):
        d = self.distributions[name]
        if isinstance(d, optuna.distributions.FloatDistribution):
            return trial.suggest_float(name, d.low, d.high, log=d.log, step=d.step)
        if isinstance(d, optuna.distributions.IntDistribution):
            return trial.suggest_int(name, d.low, d.high, step=d.step, log=d.log)
        if isinstance(d, optuna.distributions.CategoricalDistribution):
            return trial.suggest_categorical(name, d.choices)
        raise TypeError(f"{name}: unsupported distribution {d}")

    def __call__(self, trial):
        return self._formula(self, trial)


def load_problems(path=FUNCTIONS_JSON):
    with open(path, encoding="utf-8") as f:
        specs = json.load(f)["problems"]
    return {spec["name"]: Problem(spec) for spec in specs}


def _box(formula):
    """A formula of x0 .. x(d-1), each a float of the space."""

    def objective(problem, trial):
        return formula([problem.suggest(trial, name) for name in problem.distributions])

    return objective


def branin(x):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi**2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    x1, x2 = x
    q = x2 - b * x1 * x1 + c * x1 - r
    return a * q * q + s * (1 - t) * math.cos(x1) + s


_H_ALPHA = [1.0, 1.2, 3.0, 3.2]
_H_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
_H_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            d = x[j] - _H_P[i][j]
            inner += _H_A[i][j] * d * d
        total += _H_ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock(x):
    total = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = x[i] - 1
        total += 100 * a * a + b * b
    return total


def ackley(x):
    a, b, c = 20.0, 0.2, 2 * math.pi
    d = len(x)
    squares = 0.0
    cosines = 0.0
    for xi in x:
        squares += xi * xi
        cosines += math.cos(c * xi)
    return -a * math.exp(-b * math.sqrt(squares / d)) - math.exp(cosines / d) + a + math.e


def levy(x):
    def w(v):
        return 1 + (v - 1) / 4

    d = len(x)
    total = math.sin(math.pi * w(x[0])) ** 2
    for i in range(d - 1):
        wi = w(x[i])
        total += (wi - 1) ** 2 * (1 + 10 * math.sin(math.pi * wi + 1) ** 2)
    wd = w(x[d - 1])
    return total + (wd - 1) ** 2 * (1 + math.sin(2 * math.pi * wd) ** 2)


def styblinski_tang(x):
    total = 0.0
    for xi in x:
        x2 = xi * xi
        total += x2 * x2 - 16 * x2 + 5 * xi
    return total / 2


def mixed8(p, trial):
    lr = p.suggest(trial, "learning_rate")
    optimizer = p.suggest(trial, "optimizer")
    layers = p.suggest(trial, "num_layers")
    units = p.suggest(trial, "hidden_units")
    batch = p.suggest(trial, "batch_size")
    dropout = p.suggest(trial, "dropout")
    decay = p.suggest(trial, "weight_decay")
    activation = p.suggest(trial, "activation")

    optimizer_penalty, best_log10_lr = {
        "sgd": (0.3, -1.0),
        "momentum": (0.1, -1.5),
        "adam": (0.0, -3.0),
    }.get(optimizer, (0.05, -2.5))
    activation_penalty = {"relu": 0.02, "tanh": 0.1, "sigmoid": 0.3}.get(activation, 0.0)
    best_dropout = 0.05 * (layers - 1)
    return (
        optimizer_penalty
        + 0.5 * (math.log10(lr) - best_log10_lr) ** 2
        + 0.05 * (layers - 3) ** 2
        + 0.1 * (math.log2(units) - 7) ** 2
        + 0.1 * (math.log2(batch) - 6) ** 2
        + 4 * (dropout - best_dropout) ** 2
        + 0.05 * (math.log10(decay) + 4) ** 2
        + activation_penalty
    )


def conditional(p, trial):
    classifier = p.suggest(trial, "classifier")
    if classifier == "linear":
        c = p.suggest(trial, "linear_C")
        penalty = p.suggest(trial, "linear_penalty")
        return 0.35 + 0.02 * math.log10(c) ** 2 + (0.05 if penalty == "l1" else 0)
    if classifier == "svm":
        c = p.suggest(trial, "svm_C")
        gamma = p.suggest(trial, "svm_gamma")
        kernel = p.suggest(trial, "svm_kernel")
        kernel_penalty = {"rbf": 0.0, "poly": 0.08}.get(kernel, 0.2)
        return 0.15 + 0.03 * (math.log10(c) - 1) ** 2 + 0.05 * (math.log10(gamma) + 2) ** 2 + kernel_penalty
    if classifier == "forest":
        trees = p.suggest(trial, "forest_n_estimators")
        depth = p.suggest(trial, "forest_max_depth")
        features = p.suggest(trial, "forest_max_features")
        return 0.08 + 0.05 * math.log10(trees / 300) ** 2 + 0.002 * (depth - 14) ** 2 + 0.5 * (features - 0.4) ** 2
    lr = p.suggest(trial, "boost_learning_rate")
    rounds = p.suggest(trial, "boost_n_rounds")
    depth = p.suggest(trial, "boost_max_depth")
    subsample = p.suggest(trial, "boost_subsample")
    return (
        0.1 * math.log10(lr / 0.05) ** 2
        + 0.04 * math.log10(rounds * lr / 20) ** 2
        + 0.01 * (depth - 6) ** 2
        + 0.4 * (subsample - 0.8) ** 2
    )


def plateau(p, trial):
    depth = p.suggest(trial, "max_depth")
    leaf = p.suggest(trial, "min_samples_leaf")
    alpha = p.suggest(trial, "ccp_alpha")
    features = p.suggest(trial, "max_features")
    if depth < 16 or leaf > 16 or alpha > 1e-3:
        return 1.0
    return 0.25 * (
        ((depth - 24) / 16) ** 2 + ((math.log2(leaf) - 2) / 4) ** 2 + ((math.log10(alpha) + 4) / 2) ** 2 + (features - 0.6) ** 2
    )


FORMULAS = {
    "branin2": _box(branin),
    "hartmann6": _box(hartmann6),
    "rosenbrock5": _box(rosenbrock),
    "ackley5": _box(ackley),
    "levy10": _box(levy),
    "styblinski5": _box(styblinski_tang),
    "mixed8": mixed8,
    "conditional": conditional,
    "plateau": plateau,
}
