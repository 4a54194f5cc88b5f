"""Checks that bench/optuna/functions.py computes what the C# problems compute.

Reads a JSON file written by `Hone.Bench suite --check`: for each problem, points (parameters as the
objective saw them), the value Hone computed and the distribution of each parameter (Optuna's JSON).
Evaluates each point with optuna.trial.FixedTrial, compares values (relative tolerance 1e-9) and the
distributions the Python objective asked for. Prints a JSON report; exit code 1 on any mismatch.
"""

import json
import math
import sys

import optuna

from functions import load_problems


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    problems = load_problems()
    report = []
    ok = True
    for case in cases:
        problem = problems.get(case["function"])
        entry = {"function": case["function"], "points": len(case["points"]), "mismatches": []}
        if problem is None:
            entry["mismatches"].append("function missing in functions.json / functions.py")
            ok = False
            report.append(entry)
            continue
        if problem.optimum != case["optimum"]:
            entry["mismatches"].append(f"optimum {problem.optimum} != {case['optimum']}")
        max_rel = 0.0
        for point in case["points"]:
            trial = optuna.trial.FixedTrial(point["params"])
            value = problem(trial)
            expected = point["value"]
            rel = abs(value - expected) / max(1.0, abs(expected))
            max_rel = max(max_rel, rel)
            if not math.isfinite(value) or rel > 1e-9:
                entry["mismatches"].append(f"{point['params']}: python {value!r} != hone {expected!r}")
            asked = {name: json.loads(optuna.distributions.distribution_to_json(d)) for name, d in trial.distributions.items()}
            if asked != point["distributions"]:
                entry["mismatches"].append(f"{point['params']}: python asked {asked} != hone {point['distributions']}")
        entry["max_relative_difference"] = max_rel
        ok = ok and not entry["mismatches"]
        entry["mismatches"] = entry["mismatches"][:5]
        report.append(entry)
    print(json.dumps({"ok": ok, "optuna_version": optuna.__version__, "functions": report}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
