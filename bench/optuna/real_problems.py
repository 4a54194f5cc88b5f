"""The real tuning problems (bench/real_problems.json) on the Python side: define-by-run suggestion with an
Optuna trial, and the scikit-learn evaluator (5-fold cross-validation with fixed folds and random_state).

The C# side (Hone.Bench real) reads the same file; `real --check` verifies that both sides suggest the same
parameters and get the same loss for them.
"""

import gzip
import hashlib
import importlib
import json
import math
import os
import warnings

import numpy as np

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PROBLEMS_JSON = os.path.join(BENCH, "real_problems.json")
DATA = os.path.join(BENCH, "..", "data")


def load_spec(path=PROBLEMS_JSON):
    with open(path, "rb") as f:
        raw = f.read()
    spec = json.loads(raw.decode("utf-8"))
    spec["hash"] = hashlib.sha256(raw).hexdigest()[:16]
    spec["by_name"] = {p["name"]: p for p in spec["problems"]}
    return spec


def active(param, values):
    """Whether a parameter is suggested, given the values suggested before it (its 'when' condition)."""
    for other, allowed in (param.get("when") or {}).items():
        if other not in values or values[other] not in allowed:
            return False
    return True


def suggest(problem, trial):
    """Suggests the problem's parameters define-by-run, in the file's order; returns {name: value}."""
    values = {}
    for p in problem["params"]:
        if not active(p, values):
            continue
        name, kind = p["name"], p["type"]
        if kind == "float":
            values[name] = trial.suggest_float(name, p["low"], p["high"], log=p.get("log", False), step=p.get("step"))
        elif kind == "int":
            values[name] = trial.suggest_int(name, p["low"], p["high"], log=p.get("log", False), step=p.get("step", 1))
        elif kind == "categorical":
            values[name] = trial.suggest_categorical(name, p["choices"])
        else:
            raise ValueError(f"{problem['name']}.{name}: unknown type {kind!r}")
    return values


def coerce(problem, params):
    """The parameters as the types the file declares (JSON writes 1.0 as 1); rejects unknown or missing ones."""
    out = {}
    for p in problem["params"]:
        name = p["name"]
        if not active(p, out):
            continue
        if name not in params:
            raise ValueError(f"{problem['name']}: parameter {name!r} is missing")
        v = params[name]
        if p["type"] == "float":
            v = float(v)
        elif p["type"] == "int":
            if float(v) != int(v):
                raise ValueError(f"{problem['name']}: parameter {name!r} must be an integer, got {v!r}")
            v = int(v)
        elif v not in p["choices"]:
            raise ValueError(f"{problem['name']}: parameter {name!r} must be one of {p['choices']}, got {v!r}")
        out[name] = v
    extra = set(params) - set(out)
    if extra:
        raise ValueError(f"{problem['name']}: unexpected or inactive parameter(s) {sorted(extra)}")
    return out


def canonical(problem, params):
    """The cache key of a configuration: the problem and its coerced parameters in the file's order."""
    values = coerce(problem, params)
    return problem["name"] + json.dumps([[k, values[k]] for k in values], separators=(",", ":"))


_datasets = {}


def dataset(name):
    """(X, y) of a dataset of data/ (scikit-learn's layout; diabetes: raw features, named header, target last)."""
    if name in _datasets:
        return _datasets[name]
    files = {"iris": "iris.csv", "wine": "wine_data.csv", "breast_cancer": "breast_cancer.csv",
             "digits": "digits.csv.gz", "diabetes": "diabetes.csv"}
    path = os.path.join(DATA, files[name])
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    rows = np.array([[float(c) for c in line.split(",")] for line in lines[1:]])
    x, y = rows[:, :-1], rows[:, -1]
    if name != "diabetes":
        y = y.astype(int)
    _datasets[name] = (x, y)
    return x, y


_folds = {}


def folds(problem, spec):
    key = (problem["dataset"], problem.get("rows"), problem["task"])
    if key not in _folds:
        from sklearn.model_selection import KFold, StratifiedKFold

        x, y = data_of(problem)
        k, seed = spec["cv_folds"], spec["cv_seed"]
        splitter = (StratifiedKFold if problem["task"] == "classification" else KFold)(k, shuffle=True, random_state=seed)
        _folds[key] = list(splitter.split(x, y))
    return _folds[key]


def data_of(problem):
    x, y = dataset(problem["dataset"])
    rows = problem.get("rows")
    return (x[:rows], y[:rows]) if rows else (x, y)


def import_modules(spec):
    """Imports what the scikit-learn problems use, so that no evaluation's time includes an import."""
    import sklearn.metrics  # noqa: F401
    import sklearn.model_selection  # noqa: F401
    import sklearn.pipeline  # noqa: F401
    import sklearn.preprocessing  # noqa: F401

    for problem in spec["problems"]:
        if problem["evaluator"] == "sklearn":
            importlib.import_module(problem["model"].rpartition(".")[0])


def build(problem, params):
    module, _, cls = problem["model"].rpartition(".")
    kwargs = dict(problem.get("fixed") or {})
    for p in problem["params"]:
        if p["name"] in params:
            v = params[p["name"]]
            kwargs[p["name"]] = (v,) if p.get("tuple") else v
    model = getattr(importlib.import_module(module), cls)(**kwargs)
    pre = problem.get("preprocess")
    if pre:
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MinMaxScaler, StandardScaler

        model = make_pipeline(StandardScaler() if pre == "standard" else MinMaxScaler(), model)
    return model


def sklearn_loss(problem, spec, params):
    """The 5-fold CV loss of one configuration (always minimized)."""
    from sklearn.metrics import accuracy_score, log_loss, mean_squared_error

    params = coerce(problem, params)
    x, y = data_of(problem)
    labels = np.unique(y) if problem["task"] == "classification" else None
    losses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for train, test in folds(problem, spec):
            model = build(problem, params)
            model.fit(x[train], y[train])
            metric = problem["metric"]
            if metric == "error":
                losses.append(1.0 - accuracy_score(y[test], model.predict(x[test])))
            elif metric == "log_loss":
                losses.append(log_loss(y[test], model.predict_proba(x[test]), labels=labels))
            elif metric == "mse":
                losses.append(mean_squared_error(y[test], model.predict(x[test])))
            else:
                raise ValueError(f"{problem['name']}: unknown metric {metric!r}")
    loss = float(np.mean(losses))
    # A diverged model (e.g. an unregularized fit) gives inf/NaN; the worst finite value keeps the run going.
    return loss if math.isfinite(loss) else 1e300
