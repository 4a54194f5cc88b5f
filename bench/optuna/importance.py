"""Time of Optuna's importance evaluators on a file of trials, the counterpart of `Hone.Bench importance`.

Reads the JSON written by the Hone bench ({"distributions": {name: distribution JSON}, "trials": [{"params", "value"}]}),
adds the trials to an in-memory study with create_trial/add_trials, and times get_param_importances with
FanovaImportanceEvaluator(seed=0) and MeanDecreaseImpurityImportanceEvaluator(seed=0) (defaults: 64 trees, depth 64),
`--repeats` times each. Prints JSON: the timings in milliseconds and the importances of the last run.
"""

import argparse
import json
import logging
import time
import warnings

import optuna
from optuna.distributions import json_to_distribution
from optuna.importance import FanovaImportanceEvaluator
from optuna.importance import MeanDecreaseImpurityImportanceEvaluator
from optuna.importance import get_param_importances


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trials_file")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--methods", default="fanova,mdi")
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")

    with open(args.trials_file) as f:
        data = json.load(f)
    distributions = {k: json_to_distribution(v) for k, v in data["distributions"].items()}
    study = optuna.create_study()
    study.add_trials(
        [optuna.trial.create_trial(params=t["params"], distributions=distributions, value=t["value"]) for t in data["trials"]]
    )

    evaluators = {
        "fanova": lambda: FanovaImportanceEvaluator(seed=0),
        "mdi": lambda: MeanDecreaseImpurityImportanceEvaluator(seed=0),
    }
    results = []
    for method in args.methods.split(","):
        timings = []
        importances = None
        for _ in range(args.repeats):
            start = time.perf_counter()
            importances = get_param_importances(study, evaluator=evaluators[method]())
            timings.append((time.perf_counter() - start) * 1e3)
        results.append({"method": method, "ms": timings, "importances": importances})
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
