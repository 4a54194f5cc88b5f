"""The scikit-learn evaluator of the real tuning problems as a long-lived server, for the C# driver.

Reads one JSON request per line on stdin, {"problem": name, "params": {...}}, and answers one line on stdout,
{"loss": x}, or {"error": message} when the request is bad (the server keeps running). The problems are those
of bench/real_problems.json whose evaluator is "sklearn"; `--problems FILE` reads another problem file.
"""

import os

# One thread per evaluation: the driver runs --jobs evaluations side by side on a small machine, and
# HistGradientBoosting's OpenMP threads made an evaluation 30 times slower under that load.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import real_problems as rp  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", default=rp.PROBLEMS_JSON)
    args = parser.parse_args()
    spec = rp.load_spec(args.problems)
    rp.import_modules(spec)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            name = request["problem"]
            problem = spec["by_name"].get(name)
            if problem is None or problem["evaluator"] != "sklearn":
                raise ValueError(f"unknown sklearn problem {name!r}")
            start = time.perf_counter()
            loss = rp.sklearn_loss(problem, spec, request["params"])
            answer = {"loss": loss, "seconds": time.perf_counter() - start}
        except Exception as e:  # noqa: BLE001 - a bad request is answered, not fatal
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
