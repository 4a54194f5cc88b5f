# Optuna 3.1 worker for the heartbeat-gap benchmark: N trials that each sleep, heartbeat every HB seconds.
import sys, time, optuna
url, study_name, trials, trial_ms, hb_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
optuna.logging.set_verbosity(optuna.logging.ERROR)
storage = optuna.storages.RDBStorage(url, heartbeat_interval=max(1, hb_ms // 1000), grace_period=3600,
                                     skip_compatibility_check=True, engine_kwargs={"connect_args": {"timeout": 60}})
study = optuna.load_study(study_name=study_name, storage=storage)
def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    time.sleep(trial_ms / 1000)
    return x * x
study.optimize(objective, n_trials=trials)
print("done", trials)
