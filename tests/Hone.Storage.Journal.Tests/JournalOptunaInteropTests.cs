using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Journal.Tests;

/// <summary>
/// Optuna 3.1 (Debian's python3-optuna at /usr/bin/python3) and Hone on one journal file: Optuna reads what Hone wrote,
/// Hone reads and continues what Optuna wrote, and both write to the file at the same time.
/// </summary>
public sealed class JournalOptunaInteropTests : IDisposable
{
    /// <summary>Dumps a study as Optuna's JournalStorage replays it (non-finite floats as text, which JSON cannot hold).</summary>
    private const string DumpScript = """
        import json, math, sys, optuna
        from optuna.storages import JournalStorage, JournalFileStorage
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        def num(v):
            return v if v is None or math.isfinite(v) else repr(v)
        storage = JournalStorage(JournalFileStorage(sys.argv[1]))
        study = optuna.load_study(study_name=sys.argv[2], storage=storage)
        trials = []
        for t in study.get_trials(deepcopy=False):
            trials.append({
                "number": t.number, "id": t._trial_id, "state": t.state.name,
                "values": None if t.values is None else [num(v) for v in t.values],
                "params": t.params,
                "distributions": {k: json.loads(optuna.distributions.distribution_to_json(v)) for k, v in t.distributions.items()},
                "intermediate": {str(k): num(v) for k, v in t.intermediate_values.items()},
                "user_attrs": t.user_attrs, "system_attrs": t.system_attrs,
                "start": None if t.datetime_start is None else t.datetime_start.isoformat(timespec="microseconds"),
                "complete": None if t.datetime_complete is None else t.datetime_complete.isoformat(timespec="microseconds")})
        print(json.dumps({"id": study._study_id, "directions": [d.name for d in study.directions], "user_attrs": study.user_attrs,
                          "system_attrs": study.system_attrs,
                          "names": [s.study_name for s in optuna.get_all_study_summaries(storage)], "trials": trials}))
        """;

    private readonly TempFolder _folder = new();

    [OptunaFact]
    public void Optuna_ReadsEverythingHoneWrote()
    {
        var path = _folder.File("hone-made.log");
        var url = StorageUrl.Parse("journal:///" + path);
        using (var other = Study.Create(new StudyOptions { Name = "first", StorageUrl = url }))
        {
            other.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 2 });
        }

        var name = "hone \"study\" 'ü'\n; --";
        using var study = Study.Create(new StudyOptions { Name = name, StorageUrl = url, Direction = StudyDirection.Maximize, Sampler = new RandomSampler(1) });
        study.SetUserAttr("note", "ünïcødé \"quoted\" <b>&</b>");
        study.Optimize(t =>
        {
            var lr = t.SuggestFloat("lr", 1e-4, 0.3, log: true);
            var x = t.SuggestFloat("x", -1, 1);
            var q = t.SuggestFloat("q", 0, 1, step: 0.25);
            var n = t.SuggestInt("n", 1, 64, log: true);
            var k = t.SuggestInt("k", 0, 10, step: 2);
            var c = t.SuggestCategorical("c", ["gbdt", "dart", "ü'\"x"]);
            t.SetUserAttr("tag", new Dictionary<string, object> { ["k"] = k, ["s"] = "é\"" });
            t.Report(x, 0);
            t.Report(double.PositiveInfinity, 1);
            t.Report(double.NaN, 2);
            if (t.Number == 3)
            {
                throw new TrialPrunedException();
            }

            if (t.Number == 4)
            {
                throw new InvalidOperationException("boom");
            }

            return t.Number == 5 ? double.NegativeInfinity : t.Number == 6 ? 2.0 : lr + x + q + n + k + c.Length;
        }, new OptimizeOptions { Trials = 8 });
        var running = study.Ask();
        running.SuggestFloat("x", -1, 1);
        study.Enqueue(new Dictionary<string, object?> { ["x"] = 0.5, ["c"] = "dart" });

        var dump = Python.Json(DumpScript, path, name);
        Assert.Equal(1, dump.GetProperty("id").GetInt32());
        Assert.Equal(["MAXIMIZE"], dump.GetProperty("directions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["first", name], dump.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ünïcødé \"quoted\" <b>&</b>", dump.GetProperty("user_attrs").GetProperty("note").GetString());
        var optunaTrials = dump.GetProperty("trials").EnumerateArray().ToList();
        var honeTrials = study.Trials;
        Assert.Equal(10, optunaTrials.Count);
        Assert.Equal(honeTrials.Count, optunaTrials.Count);
        foreach (var (h, o) in honeTrials.Zip(optunaTrials))
        {
            AssertSame(h, o);
        }

        Assert.Contains("boom", honeTrials[4].SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        Assert.Equal(TrialState.Running, honeTrials[8].State);
        Assert.Equal(TrialState.Waiting, honeTrials[9].State);
        Assert.Equal(2.0, optunaTrials[6].GetProperty("values")[0].GetDouble());
    }

    [OptunaFact]
    public void Hone_ContinuesAJournalOptunaWrote_AndOptunaSeesTheNewTrials()
    {
        var path = _folder.File("optuna-made.log");
        Python.Run("""
            import sys, optuna
            from optuna.storages import JournalStorage, JournalFileStorage, JournalFileOpenLock
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            storage = JournalStorage(JournalFileStorage(sys.argv[1], lock_obj=JournalFileOpenLock(sys.argv[1])))
            optuna.create_study(study_name="other", storage=storage, directions=["minimize", "maximize"])
            study = optuna.create_study(study_name="optuna-made", storage=storage, direction="minimize")
            study.set_user_attr("from", "optuna")
            study.set_system_attr("sys", {"a": [1, 2.5, None]})
            def objective(t):
                x = t.suggest_float("x", -5, 5)
                n = t.suggest_int("n", 1, 100, log=True)
                c = t.suggest_categorical("c", ["a", "b", 3])
                t.report(x * 2, 0)
                t.report(float("inf"), 1)
                t.set_user_attr("u", [1, 2])
                if t.number == 2:
                    raise optuna.TrialPruned()
                if t.number == 3:
                    raise ValueError("optuna failed")
                return x * x + n
            study.optimize(objective, n_trials=7, catch=(ValueError,))
            study.enqueue_trial({"x": 1.5, "n": 7, "c": "b"})
            """, path);

        var storage = new JournalStorage(path, JournalLockKind.Open);
        Assert.Equal(1, storage.FindStudy("optuna-made"));
        Assert.Equal([StudyDirection.Minimize, StudyDirection.Maximize], storage.GetStudy(0).Directions);
        var before = Python.Json(DumpScript, path, "optuna-made");
        using var loaded = Study.Load(new StudyOptions { Name = "optuna-made", Storage = storage, Sampler = new RandomSampler(3) });
        Assert.Equal(StudyDirection.Minimize, loaded.Direction);
        Assert.Equal("optuna", loaded.UserAttrs["from"].GetString());
        Assert.Equal("{\"a\":[1,2.5,null]}", storage.GetStudySystemAttrs(1)["sys"].GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        var trials = before.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        foreach (var (h, o) in loaded.Trials.Zip(trials))
        {
            AssertSame(h, o);
        }

        Assert.Equal(5, loaded.GetTrials(TrialState.Complete).Count);
        Assert.All(loaded.GetTrials(TrialState.Complete), t =>
        {
            Assert.Equal((double)t.Params["x"]! * (double)t.Params["x"]! + (int)t.Params["n"]!, t.Value!.Value, 9);
            Assert.Equal(double.PositiveInfinity, t.IntermediateValues[1]);
        });

        loaded.Optimize(t =>
        {
            var x = t.SuggestFloat("x", -5, 5);
            var n = t.SuggestInt("n", 1, 100, log: true);
            t.SuggestCategorical<object>("c", ["a", "b", 3]);
            return x * x + n;
        }, new OptimizeOptions { Trials = 5 });
        var first = loaded.Trials[7];
        Assert.Equal(1.5, first.Params["x"]);
        Assert.Equal(7, first.Params["n"]);
        Assert.Equal("b", first.Params["c"]);

        var after = Python.Json(DumpScript, path, "optuna-made").GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(12, after.Count);
        foreach (var (h, o) in loaded.Trials.Zip(after))
        {
            AssertSame(h, o);
        }

        // And Optuna keeps going after Hone.
        var more = Python.Json("""
            import sys, json, optuna
            from optuna.storages import JournalStorage, JournalFileStorage
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = optuna.load_study(study_name="optuna-made", storage=JournalStorage(JournalFileStorage(sys.argv[1])))
            study.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2, n_trials=2)
            print(json.dumps({"numbers": [t.number for t in study.trials]}))
            """, path);
        Assert.Equal(Enumerable.Range(0, 14), more.GetProperty("numbers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(14, loaded.Trials.Count);
        Assert.Equal(TrialState.Complete, loaded.Trials[13].State);
    }

    [OptunaFact]
    public void HoneAndOptunaProcesses_WriteOneJournalAtOnce_NothingLost()
    {
        var path = _folder.File("together.log");
        var url = "journal:///" + path;
        new JournalStorage(path).CreateStudy("together", [StudyDirection.Minimize]);
        const int HoneWorkers = 3, OptunaWorkers = 3, PerWorker = 25;
        var processes = new List<Process>();
        for (var i = 0; i < Math.Max(HoneWorkers, OptunaWorkers); i++)
        {
            if (i < OptunaWorkers)
            {
                // Optuna 3.1's reader raises JSONDecodeError when it meets a line another process is still writing and more
                // lines follow; reading again from the same log number is safe (nothing was applied yet), so its workers retry.
                processes.Add(Process.Start(External.StartInfo(Python.Executable, ["-c", """
                    import json, sys, time, optuna
                    from optuna.storages import JournalStorage, JournalFileStorage
                    optuna.logging.set_verbosity(optuna.logging.WARNING)
                    read = JournalFileStorage.read_logs
                    def read_logs(self, log_number_from):
                        for _ in range(1000):
                            try:
                                return read(self, log_number_from)
                            except json.JSONDecodeError:
                                time.sleep(0.001)
                        return read(self, log_number_from)
                    JournalFileStorage.read_logs = read_logs
                    study = optuna.load_study(study_name="together", storage=JournalStorage(JournalFileStorage(sys.argv[1])),
                                              sampler=optuna.samplers.RandomSampler())
                    def objective(t):
                        x = t.suggest_float("x", -10, 10)
                        y = t.suggest_int("y", 0, 10)
                        c = t.suggest_categorical("c", ["a", "b"])
                        return x * x + y + (0 if c == "a" else 1)
                    study.optimize(objective, n_trials=int(sys.argv[2]))
                    print("done", sys.argv[2])
                    """, path, PerWorker.ToString(CultureInfo.InvariantCulture)]))!);
            }

            if (i < HoneWorkers)
            {
                processes.Add(External.StartWorker(url, "together", PerWorker));
            }
        }

        foreach (var p in processes)
        {
            using (p)
            {
                var output = p.StandardOutput.ReadToEndAsync();
                var error = p.StandardError.ReadToEndAsync();
                Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "a worker did not finish");
                Assert.True(p.ExitCode == 0, $"worker failed ({p.ExitCode}): {error.Result}");
                Assert.Contains($"done {PerWorker}", output.Result, StringComparison.Ordinal);
            }
        }

        var total = (HoneWorkers + OptunaWorkers) * PerWorker;
        var hone = new JournalStorage(path).GetAllTrials(0);
        Assert.Equal(Enumerable.Range(0, total), hone.Select(t => t.Number));
        Assert.All(hone, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(hone, t => Assert.Equal(3, t.Params.Count));
        Assert.Equal(HoneWorkers * PerWorker, File.ReadLines(path).Count(l => l.Contains("\"worker_id\":\"hone-", StringComparison.Ordinal) && l.Contains("\"op_code\":4", StringComparison.Ordinal)));
        var optuna = Python.Json(DumpScript, path, "together").GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(total, optuna.Count);
        foreach (var (h, o) in hone.Zip(optuna))
        {
            AssertSame(h, o);
        }
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>One trial as Hone and as Optuna see it: the same in every field.</summary>
    private static void AssertSame(FrozenTrial h, JsonElement o)
    {
        Assert.Equal(h.Number, o.GetProperty("number").GetInt32());
        Assert.Equal(h.TrialId, o.GetProperty("id").GetInt64());
        Assert.Equal(h.State.ToString().ToUpperInvariant(), o.GetProperty("state").GetString());
        if (h.Values is null)
        {
            Assert.Equal(JsonValueKind.Null, o.GetProperty("values").ValueKind);
        }
        else
        {
            Assert.Equal(h.Values.Select(Text), o.GetProperty("values").EnumerateArray().Select(Text));
        }

        var oParams = o.GetProperty("params");
        Assert.Equal(h.Params.Count, oParams.EnumerateObject().Count());
        foreach (var (k, v) in h.Params)
        {
            var ov = oParams.GetProperty(k);
            switch (v)
            {
                case string s: Assert.Equal(s, ov.GetString()); break;
                case int i: Assert.Equal(i, ov.GetInt32()); break;
                case long l: Assert.Equal(l, ov.GetInt64()); break;
                case double d: Assert.Equal(d, ov.GetDouble()); break;
                default: Assert.Fail($"unexpected parameter type {v?.GetType()}"); break;
            }

            AssertSameDistribution(h.Distributions[k], o.GetProperty("distributions").GetProperty(k));
        }

        Assert.Equal(
            h.IntermediateValues.OrderBy(p => p.Key).Select(p => $"{p.Key}={Text(p.Value)}"),
            o.GetProperty("intermediate").EnumerateObject().OrderBy(p => int.Parse(p.Name, CultureInfo.InvariantCulture)).Select(p => $"{p.Name}={Text(p.Value)}"));
        Assert.Equal(h.UserAttrs.Count, o.GetProperty("user_attrs").EnumerateObject().Count());
        foreach (var (k, v) in h.UserAttrs)
        {
            Assert.True(JsonElement.DeepEquals(v, o.GetProperty("user_attrs").GetProperty(k)), $"user attr {k}");
        }

        Assert.Equal(h.SystemAttrs.Count, o.GetProperty("system_attrs").EnumerateObject().Count(p => p.Name != "hone_heartbeat"));
        foreach (var (k, v) in h.SystemAttrs)
        {
            Assert.True(JsonElement.DeepEquals(v, o.GetProperty("system_attrs").GetProperty(k)), $"system attr {k}");
        }

        Assert.Equal(h.DatetimeStart, ParseTime(o.GetProperty("start")));
        Assert.Equal(h.DatetimeComplete, ParseTime(o.GetProperty("complete")));
    }

    private static DateTime? ParseTime(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? null : DateTime.SpecifyKind(DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static void AssertSameDistribution(Distribution hone, JsonElement optuna) =>
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(hone.ToJson()).RootElement, optuna),
            $"distribution {hone.ToJson()} vs Optuna's {optuna.GetRawText()}");

    private static string Text(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : v > 0 ? "inf" : double.IsNaN(v) ? "nan" : "-inf";

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        _ => e.GetDouble().ToString("R", CultureInfo.InvariantCulture),
    };
}
