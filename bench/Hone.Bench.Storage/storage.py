"""Optuna's side of the storage benchmark: the same study as Hone's (random sampler, two floats, x^2 + y^2).

usage: /usr/bin/python3 storage.py single URL TRIALS        -> prints seconds for TRIALS trials
       /usr/bin/python3 storage.py create URL STUDY
       /usr/bin/python3 storage.py worker URL STUDY TRIALS  -> prints "start end" (unix seconds) of its trials
       /usr/bin/python3 storage.py scale-worker URL STUDY TRIALS SLEEP_MS
           -> prints "ready", waits for a line on stdin, runs TRIALS trials by ask and tell (sleeping SLEEP_MS in each),
              then prints "start end first_trial_end told errors ask_ms,ask_ms,..." (as Program.cs's scale-worker)
URL is an RDB URL, or journal:///PATH for Optuna's JournalStorage(JournalFileStorage(PATH)) (Hone's spelling).
"""
import json
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    y = trial.suggest_float("y", -10, 10)
    return x * x + y * y


def retry_torn_reads():
    """Optuna 3.1's JournalFileStorage.read_logs raises JSONDecodeError when it reads a line another process is still
    writing and more lines follow (16 writers crash this way within seconds). Reading again from the same log number is
    safe (nothing was applied), and is what later Optuna versions do in effect, so the benchmark retries."""
    from optuna.storages._journal.file import JournalFileStorage

    read = JournalFileStorage.read_logs

    def read_logs(self, log_number_from):
        for _ in range(1000):
            try:
                return read(self, log_number_from)
            except json.JSONDecodeError:
                time.sleep(0.001)
        return read(self, log_number_from)

    JournalFileStorage.read_logs = read_logs


def open_storage(url):
    if url.startswith("journal:///"):
        retry_torn_reads()
        path = url[len("journal:///"):]
        return optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
    return url


def main():
    mode, url = sys.argv[1], open_storage(sys.argv[2])
    if mode == "create":
        optuna.create_study(study_name=sys.argv[3], storage=url)
    elif mode == "single":
        trials = int(sys.argv[3])
        study = optuna.create_study(storage=url, sampler=optuna.samplers.RandomSampler(seed=1))
        start = time.perf_counter()
        study.optimize(objective, n_trials=trials)
        print(time.perf_counter() - start)
    elif mode == "long":
        # A long study in one process: ms per trial of each block of 1,000, RSS and Python heap every 10,000 (and at the end).
        import resource, tracemalloc
        total, sampler = int(sys.argv[3]), sys.argv[4]
        s = optuna.samplers.TPESampler(seed=1) if sampler == "tpe" else optuna.samplers.RandomSampler(seed=1)
        study = optuna.create_study(storage=url, sampler=s)
        print("| trials | ms per trial (last 1,000) | RSS MB |")
        t0 = time.perf_counter()
        for n in range(1, total + 1):
            trial = study.ask()
            x = trial.suggest_float("x", -10, 10)
            y = trial.suggest_float("y", -10, 10)
            study.tell(trial, x * x + y * y)
            if n % 1000 == 0:
                rss = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 1048576
                print("| %d | %.3f | %.1f |" % (n, (time.perf_counter() - t0), rss), flush=True)
                t0 = time.perf_counter()
    elif mode == "scale-worker":
        name, trials, sleep = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) / 1000.0
        study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.RandomSampler())
        print("ready", time.time(), flush=True)
        sys.stdin.readline()
        start, first, told, errors, asks = time.time(), 0.0, 0, 0, []
        for _ in range(trials):
            try:
                t0 = time.perf_counter()
                trial = study.ask()
                asks.append((time.perf_counter() - t0) * 1000)
                x = trial.suggest_float("x", -10, 10)
                y = trial.suggest_float("y", -10, 10)
                if sleep > 0:
                    time.sleep(sleep)
                study.tell(trial, x * x + y * y)
                told += 1
                if first == 0.0:
                    first = time.time()
            except Exception as e:  # counted, as Hone's worker counts its errors
                errors += 1
                print(e, file=sys.stderr)
        print(start, time.time(), first, told, errors, ",".join("%.3f" % a for a in asks))
    else:
        name, trials = sys.argv[3], int(sys.argv[4])
        study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.RandomSampler())
        start = time.time()
        study.optimize(objective, n_trials=trials)
        print(start, time.time())


main()
