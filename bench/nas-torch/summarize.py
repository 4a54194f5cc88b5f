"""Summarises bench/nas-torch/run.sh: per seed and method, the returned model's validation and test accuracy, the
epochs trained (one `hone:report` per epoch, pruned and failed trials included) and the wall time; then medians.

The returned model: the best complete trial by validation accuracy; for PBT and PB2 the best member's last segment
(the best complete segment of the last generation). Its test accuracy is read from the last JSON line of its log.
"""
import json
import os
import sqlite3
import statistics
import sys

out, methods = sys.argv[1], sys.argv[2:]


def returned(db):
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT t.trial_id, v.value FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id "
        "WHERE t.state = 'COMPLETE'").fetchall()
    gens = dict(con.execute("SELECT trial_id, value_json FROM trial_system_attributes WHERE key = 'pbt:generation'").fetchall())
    if gens:
        last = max(int(g) for g in gens.values())
        rows = [r for r in rows if r[0] in gens and int(gens[r[0]]) == last]
    best_id, best_value = max(rows, key=lambda r: (r[1], -r[0]))
    log = json.loads(con.execute(
        "SELECT value_json FROM trial_user_attributes WHERE trial_id = ? AND key = 'log_file'", (best_id,)).fetchone()[0])
    test = None
    with open(log) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{") and "test_accuracy" in line:
                test = json.loads(line)["test_accuracy"]
    epochs = con.execute("SELECT COUNT(*) FROM trial_intermediate_values").fetchone()[0]
    processes = con.execute("SELECT COUNT(*) FROM trials").fetchone()[0]
    return best_value, test, epochs, processes


results = {m: [] for m in methods}
seeds = sorted(os.listdir(out), key=lambda s: int(s[4:]))
print("| seed | method | validation acc | test acc | epochs trained | trials (processes) | wall s |")
print("|---|---|---|---|---|---|---|")
for seed in seeds:
    for m in methods:
        d = os.path.join(out, seed, m)
        valid, test, epochs, processes = returned(os.path.join(d, "hone.db"))
        seconds = float(open(os.path.join(d, "seconds")).read())
        results[m].append((valid, test, epochs, processes, seconds))
        print(f"| {seed[4:]} | {m} | {valid:.4f} | {test:.4f} | {epochs} | {processes} | {seconds:.0f} |")

print()
print(f"Medians over {len(seeds)} seeds:")
print()
print("| method | validation acc | test acc | mean test acc | epochs trained | trials (processes) | wall s |")
print("|---|---|---|---|---|---|---|")
for m in methods:
    r = results[m]
    med = lambda i: statistics.median(x[i] for x in r)
    print(f"| {m} | {med(0):.4f} | {med(1):.4f} | {statistics.mean(x[1] for x in r):.4f} | {med(2):.0f} | {med(3):.0f} | {med(4):.0f} |")
