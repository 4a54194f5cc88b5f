"""The real tuning problems on Optuna, the counterpart of `Hone.Bench real`.

Same problems (bench/real_problems.json, suggested define-by-run in the file's order), budgets and seeds as
the Hone side. scikit-learn problems are evaluated in-process (bench/optuna/real_problems.py); ML.NET problems
through the C# evaluator (`Hone.Bench real-eval-server`, started once per worker process). One JSON line per
(problem, sampler, seed) with the loss of every trial, in the format of the Hone side:

  {"side": "optuna", "problem": ..., "sampler": ..., "seed": ..., "budget": ..., "losses": [...],
   "elapsed_seconds": ..., "eval_seconds": ..., "version": ..., "problems_hash": ...}

With --check IN: reads the configurations the C# side suggested (one JSON line per problem, {"problem", "params"}),
replays each through an Optuna trial (enqueue_trial, then this file's define-by-run suggestion) and prints one
line per problem with the parameters it suggested and the loss it got.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import multiprocessing  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import optuna  # noqa: E402

import real_problems as rp  # noqa: E402

SAMPLERS = ["random", "tpe", "tpe-multivariate", "tpe-multivariate-group", "cmaes", "qmc"]


def make_sampler(name, seed):
    samplers = optuna.samplers
    if name == "random":
        return samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return samplers.TPESampler(seed=seed)
    if name == "tpe-multivariate":
        return samplers.TPESampler(seed=seed, multivariate=True)
    if name == "tpe-multivariate-group":
        return samplers.TPESampler(seed=seed, multivariate=True, group=True)
    if name == "cmaes":
        return samplers.CmaEsSampler(seed=seed)
    if name == "qmc":
        return samplers.QMCSampler(seed=seed, scramble=True)
    raise SystemExit(f"unknown Optuna sampler {name!r}; known: {', '.join(SAMPLERS)}")


def quiet():
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")


class MlnetServer:
    """The C# evaluator of the ML.NET problems, one JSON line in and out per evaluation."""

    def __init__(self, command):
        self._command = command
        self._process = None

    def loss(self, problem, params):
        if self._process is None:
            if not self._command:
                raise SystemExit("an ML.NET problem needs --mlnet-server (the command of Hone.Bench real-eval-server) "
                                 "or a Release build of bench/Hone.Bench")
            self._process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        self._process.stdin.write(json.dumps({"problem": problem["name"], "params": params}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise SystemExit("the ML.NET evaluator ended without answering; see its messages above")
        answer = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"the ML.NET evaluator refused {problem['name']} {params}: {answer['error']}")
        return answer["loss"]


class Evaluator:
    """Evaluates configurations of any problem, with a cache of exact repeats (the losses are deterministic)."""

    def __init__(self, spec, mlnet_command):
        self.spec = spec
        self._mlnet = MlnetServer(mlnet_command)
        self._cache = {}
        self.seconds = 0.0

    def loss(self, problem, params):
        key = rp.canonical(problem, params)
        if key in self._cache:
            return self._cache[key]
        start = time.perf_counter()
        if problem["evaluator"] == "sklearn":
            loss = rp.sklearn_loss(problem, self.spec, params)
        elif problem["evaluator"] == "mlnet":
            loss = self._mlnet.loss(problem, params)
        else:
            raise SystemExit(f"{problem['name']}: unknown evaluator {problem['evaluator']!r}")
        self.seconds += time.perf_counter() - start
        self._cache[key] = loss
        return loss


_evaluator = None


def init_worker(problems_path, mlnet_command):
    global _evaluator
    quiet()
    _evaluator = Evaluator(rp.load_spec(problems_path), mlnet_command)
    rp.import_modules(_evaluator.spec)


def run_one(job):
    name, sampler, seed, budget = job
    problem = _evaluator.spec["by_name"][name]
    before = _evaluator.seconds
    start = time.perf_counter()
    study = optuna.create_study(sampler=make_sampler(sampler, seed))
    study.optimize(lambda trial: _evaluator.loss(problem, rp.suggest(problem, trial)), n_trials=budget, n_jobs=1)
    elapsed = time.perf_counter() - start
    losses = [
        t.value if t.state == optuna.trial.TrialState.COMPLETE else None
        for t in sorted(study.trials, key=lambda t: t.number)
    ]
    return {
        "side": "optuna",
        "problem": name,
        "sampler": sampler,
        "seed": seed,
        "budget": budget,
        "losses": losses,
        "elapsed_seconds": elapsed,
        "eval_seconds": _evaluator.seconds - before,
        "version": optuna.__version__,
        "problems_hash": _evaluator.spec["hash"],
    }


def default_mlnet_server(problem_file):
    """The Release build of Hone.Bench, when there is one (the C# driver always passes its own command)."""
    apphost = os.path.join(rp.BENCH, "Hone.Bench", "bin", "Release", "net10.0", "Hone.Bench")
    if not os.path.exists(apphost):
        return None
    return [apphost, "real-eval-server", "--problem-file", os.path.abspath(problem_file)]


def check(path):
    """Replays the C# side's configurations through Optuna trials (see the module's doc)."""
    with open(path, encoding="utf-8") as f:
        requests = [json.loads(line) for line in f if line.strip()]
    for request in requests:
        problem = _evaluator.spec["by_name"][request["problem"]]
        study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
        study.enqueue_trial(request["params"])
        trial = study.ask()
        params = rp.suggest(problem, trial)
        loss = _evaluator.loss(problem, params)
        print(json.dumps({"problem": problem["name"], "params": params, "loss": loss}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samplers", default="random,tpe")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--budget", type=int, default=64)
    parser.add_argument("--problems", default=None, help="comma-separated names; default: all of the problem file")
    parser.add_argument("--problem-file", default=rp.PROBLEMS_JSON)
    parser.add_argument("--out", help="JSON-lines file to write")
    parser.add_argument("--jobs", type=int, default=1, help="runs in parallel (processes)")
    parser.add_argument("--mlnet-server", default=None,
                        help="JSON array: the command that starts Hone.Bench real-eval-server (ML.NET problems); "
                             "default: the Release build under bench/Hone.Bench/bin")
    parser.add_argument("--check", default=None, help="JSON-lines file of C#-side configurations to replay")
    args = parser.parse_args()

    quiet()
    mlnet_command = json.loads(args.mlnet_server) if args.mlnet_server else default_mlnet_server(args.problem_file)
    init_worker(args.problem_file, mlnet_command)
    if args.check:
        check(args.check)
        return
    if not args.out:
        raise SystemExit("--out is required (the JSON-lines file to write)")

    spec = _evaluator.spec
    names = args.problems.split(",") if args.problems else [p["name"] for p in spec["problems"]]
    samplers = args.samplers.split(",")
    for n in names:
        if n not in spec["by_name"]:
            raise SystemExit(f"unknown problem {n!r}; known: {', '.join(spec['by_name'])}")
    for s in samplers:
        if s not in SAMPLERS:
            raise SystemExit(f"unknown Optuna sampler {s!r}; known: {', '.join(SAMPLERS)}")

    jobs = [
        (n, s, seed, args.budget)
        for n in names
        for s in samplers
        for seed in range(args.first_seed, args.first_seed + args.seeds)
    ]
    with open(args.out, "w", encoding="utf-8") as out:
        if args.jobs > 1:
            with multiprocessing.Pool(args.jobs, initializer=init_worker,
                                      initargs=(args.problem_file, mlnet_command)) as pool:
                write_all(pool.imap(run_one, jobs), out, len(jobs))
        else:
            write_all(map(run_one, jobs), out, len(jobs))


def write_all(results, out, total):
    for i, record in enumerate(results, 1):
        out.write(json.dumps(record, allow_nan=False) + "\n")
        out.flush()
        best = min((v for v in record["losses"] if v is not None), default=float("nan"))
        print(
            f"[{i}/{total}] optuna {record['problem']} {record['sampler']} seed {record['seed']}: "
            f"best {best:.6g} in {record['elapsed_seconds']:.2f} s (evaluations {record['eval_seconds']:.2f} s)",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
