using System.Text.Json;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Nsga;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Tests;

/// <summary>
/// Optuna 3.1 (Debian's python3-optuna) and Hone on one database: Optuna reads what Hone wrote, and Hone
/// continues a study Optuna wrote. Run unchanged against every SQL storage.
/// </summary>
public abstract class OptunaInteropTests
{
    /// <summary>
    /// Dumps a study as Optuna sees it. It skips Optuna's schema check because Hone creates revision v3.2.0.a by
    /// default, newer than Optuna 3.1's head v3.0.0.d, and Optuna opens plainly only a database at its own head
    /// (<see cref="Optuna31_RefusesTheDefaultRevision_UnlessTheCheckIsSkipped"/>); a database made with
    /// <c>optuna_schema=3.0</c> opens plainly (<see cref="Optuna31_OpensPlainly_ADatabaseMadeWithOptunaSchema30"/>).
    /// </summary>
    private const string DumpScript = """
        import json, math, sys, optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        def num(v):
            return v if v is None or math.isfinite(v) else repr(v)
        storage = optuna.storages.RDBStorage(sys.argv[1], skip_compatibility_check=True)
        study = optuna.load_study(study_name=sys.argv[2], storage=storage)
        trials = []
        for t in study.get_trials(deepcopy=False):
            trials.append({
                "number": t.number, "state": t.state.name,
                "values": None if t.values is None else [num(v) for v in t.values],
                "params": t.params,
                "distributions": {k: json.loads(optuna.distributions.distribution_to_json(v)) for k, v in t.distributions.items()},
                "intermediate": {str(k): num(v) for k, v in t.intermediate_values.items()},
                "user_attrs": t.user_attrs, "system_attrs": t.system_attrs,
                "start": None if t.datetime_start is None else t.datetime_start.isoformat(),
                "complete": None if t.datetime_complete is None else t.datetime_complete.isoformat()})
        print(json.dumps({"directions": [d.name for d in study.directions], "user_attrs": study.user_attrs,
                          "names": [s.study_name for s in optuna.get_all_study_summaries(storage)], "trials": trials}))
        """;

    /// <summary>A fresh, empty database for one test: the URL Hone opens and the one SQLAlchemy opens.</summary>
    protected abstract (StorageUrl Hone, string Python) NewDatabase();

    /// <summary>Optuna 3.1's NSGAIISampler, with a constraints function, continuing a study Hone's NSGA-II started.</summary>
    private const string NsgaScript = """
        import sys, warnings, optuna
        warnings.filterwarnings("ignore")
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        storage = optuna.storages.RDBStorage(sys.argv[1], skip_compatibility_check=True)
        sampler = optuna.samplers.NSGAIISampler(population_size=4, seed=2, constraints_func=lambda t: [0.5 - t.params["x"]])
        study = optuna.load_study(study_name=sys.argv[2], storage=storage, sampler=sampler)
        def objective(t):
            x = t.suggest_float("x", 0, 1)
            y = t.suggest_float("y", 0, 1)
            return x + y, 1 - x + y
        study.optimize(objective, n_trials=8)
        print("ok")
        """;

    [OptunaFact]
    public void NsgaII_GenerationsAndConstraints_AreSharedWithOptuna()
    {
        var (url, pythonUrl) = NewDatabase();
        Func<Trial, double[]> objective = t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            t.SetConstraint("x_at_least_half", 0.5 - x);
            return [x + y, 1 - x + y];
        };
        StudyOptions Options() => new()
        {
            Name = "mo", StorageUrl = url, Directions = [StudyDirection.Minimize, StudyDirection.Minimize], LoadIfExists = true,
            Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 1, PopulationSize = 4 }),
        };

        using (var first = Study.Create(Options()))
        {
            first.Optimize(objective, new OptimizeOptions { Trials = 10 });
        }

        Assert.Equal("ok", Python.Run(NsgaScript, pythonUrl, "mo").Trim());
        using var study = Study.Create(Options());
        study.Optimize(objective, new OptimizeOptions { Trials = 6 });

        // Generations of four complete trials each, whoever ran them: Hone 0-9, Optuna 10-17, Hone 18-23.
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i / 4), study.Trials.Select(t => t.SystemAttrs["nsga2:generation"].GetInt32()));
        foreach (var t in study.Trials)
        {
            Assert.Equal(0.5 - (double)t.Params["x"]!, Assert.Single(t.Constraints!), 9);
        }

        Assert.All(study.BestTrials, t => Assert.True(t.IsFeasible));
    }

    /// <summary>Optuna 3.1's multi-objective TPE continuing a study whose trials reported vectors and were pruned by Hone.</summary>
    private const string MotpeScript = """
        import sys, warnings, optuna
        warnings.filterwarnings("ignore")
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        storage = optuna.storages.RDBStorage(sys.argv[1], skip_compatibility_check=True)
        study = optuna.load_study(study_name=sys.argv[2], storage=storage, sampler=optuna.samplers.TPESampler(seed=1, n_startup_trials=2))
        study.optimize(lambda t: (t.suggest_float("x", 0, 1), 1 - t.suggest_float("x", 0, 1) ** 2), n_trials=4)
        print("ok")
        """;

    [OptunaFact]
    public void VectorReports_AndMultiObjectivePruning_LoadInOptuna_WhichContinuesTheStudy()
    {
        var (url, pythonUrl) = NewDatabase();
        using (var study = Study.Create(new StudyOptions
        {
            Name = "mo-prune", StorageUrl = url, Directions = [StudyDirection.Minimize, StudyDirection.Minimize],
            Sampler = new Hone.Samplers.Tpe.TpeSampler(new() { Seed = 1, StartupTrials = 3 }),
            Pruner = new Hone.Pruners.DominancePruner(new() { StartupTrials = 2 }),
        }))
        {
            study.Optimize(t =>
            {
                var x = t.SuggestFloat("x", 0, 1);
                t.Report([x, double.NaN], 0);
                for (var step = 1; step < 4; step++)
                {
                    t.Report([x + (1.0 / step), 2 - x + (1.0 / step)], step);
                    if (t.ShouldPrune())
                    {
                        throw new TrialPrunedException();
                    }
                }

                return [x, 1 - (x * x)];
            }, new OptimizeOptions { Trials = 8 });
        }

        using var doc = JsonDocument.Parse(Python.Run(DumpScript, pythonUrl, "mo-prune"));
        var first = doc.RootElement.GetProperty("trials")[0];
        var step0 = first.GetProperty("system_attrs").GetProperty("intermediate_values:0");
        Assert.Equal("NaN", step0[1].GetString());
        Assert.Equal(4, first.GetProperty("system_attrs").EnumerateObject().Count(p => p.Name.StartsWith("intermediate_values:", StringComparison.Ordinal)));
        Assert.Empty(first.GetProperty("intermediate").EnumerateObject());

        Assert.Equal("ok", Python.Run(MotpeScript, pythonUrl, "mo-prune").Trim());
        using var reloaded = Study.Load("mo-prune", url);
        Assert.Equal(12, reloaded.Trials.Count);
        Assert.True(double.IsNaN(reloaded.Trials[0].IntermediateVectors[0][1]));
    }

    [OptunaFact]
    public void Optuna_ReadsEverythingHoneWrote()
    {
        var (url, pythonUrl) = NewDatabase();
        var name = "hone \"study\" 'ü' ; DROP TABLE trials; --";
        var study = Study.Create(new StudyOptions { Name = name, StorageUrl = url, Direction = StudyDirection.Maximize, Sampler = new RandomSampler(1) });
        study.SetUserAttr("note", "ünïcødé \"quoted\" 'single' ; --");
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
            if (t.Number == 3)
            {
                throw new TrialPrunedException();
            }

            if (t.Number == 4)
            {
                throw new InvalidOperationException("boom");
            }

            return t.Number == 5 ? double.NegativeInfinity : lr + x + q + n + k + c.Length;
        }, new OptimizeOptions { Trials = 8 });
        var running = study.Ask();
        running.SuggestFloat("x", -1, 1);
        study.Enqueue(new Dictionary<string, object?> { ["x"] = 0.5, ["c"] = "dart" });

        var dump = Python.Json(DumpScript, pythonUrl, name);
        Assert.Equal(["MAXIMIZE"], dump.GetProperty("directions").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(name, dump.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ünïcødé \"quoted\" 'single' ; --", dump.GetProperty("user_attrs").GetProperty("note").GetString());
        var optunaTrials = dump.GetProperty("trials").EnumerateArray().ToList();
        var honeTrials = study.Trials;
        Assert.Equal(honeTrials.Count, optunaTrials.Count);
        Assert.Equal(10, optunaTrials.Count);
        foreach (var (h, o) in honeTrials.Zip(optunaTrials))
        {
            Assert.Equal(h.Number, o.GetProperty("number").GetInt32());
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
                    case double d: Assert.Equal(d, ov.GetDouble()); break;
                    default: Assert.Fail($"unexpected parameter type {v?.GetType()}"); break;
                }

                AssertSameDistribution(h.Distributions[k], o.GetProperty("distributions").GetProperty(k));
            }

            Assert.Equal(
                h.IntermediateValues.OrderBy(p => p.Key).Select(p => $"{p.Key}={Text(p.Value)}"),
                o.GetProperty("intermediate").EnumerateObject().Select(p => $"{p.Name}={Text(p.Value)}").Order());
            foreach (var (k, v) in h.UserAttrs)
            {
                Assert.Equal(v.GetRawText(), JsonSerializer.Serialize(o.GetProperty("user_attrs").GetProperty(k)));
            }

            foreach (var (k, v) in h.SystemAttrs)
            {
                Assert.True(JsonElement.DeepEquals(v, o.GetProperty("system_attrs").GetProperty(k)), $"system attr {k}");
            }

            Assert.Equal(h.DatetimeStart, ParseTime(o.GetProperty("start")));
            Assert.Equal(h.DatetimeComplete, ParseTime(o.GetProperty("complete")));
        }

        Assert.Contains("boom", honeTrials[4].SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        Assert.Equal(TrialState.Running, honeTrials[8].State);
        Assert.Equal(TrialState.Waiting, honeTrials[9].State);
        _ = running;
    }

    [OptunaFact]
    public void Hone_ContinuesAStudyOptunaWrote_AndOptunaSeesTheNewTrials()
    {
        var (url, pythonUrl) = NewDatabase();
        Python.Run("""
            import sys, optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = optuna.create_study(study_name="optuna-made", storage=sys.argv[1], direction="minimize")
            study.set_user_attr("from", "optuna")
            def objective(t):
                x = t.suggest_float("x", -5, 5)
                n = t.suggest_int("n", 1, 100, log=True)
                c = t.suggest_categorical("c", ["a", "b", 3])
                t.report(x * 2, 0)
                t.set_user_attr("u", [1, 2])
                return x * x + n
            study.optimize(objective, n_trials=6)
            study.enqueue_trial({"x": 1.5, "n": 7, "c": "b"})
            """, pythonUrl);

        var study = Study.Load("optuna-made", url);
        Assert.Equal(StudyDirection.Minimize, study.Direction);
        Assert.Equal("optuna", study.UserAttrs["from"].GetString());
        Assert.Equal(6, study.GetTrials(TrialState.Complete).Count);
        Assert.All(study.GetTrials(TrialState.Complete), t =>
        {
            Assert.Equal((double)t.Params["x"]! * (double)t.Params["x"]! + (int)t.Params["n"]!, t.Value!.Value, 9);
            Assert.Equal(2 * (double)t.Params["x"]!, t.IntermediateValues[0], 12);
            Assert.Equal("[1,2]", t.UserAttrs["u"].GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        });

        var loaded = Study.Load(new StudyOptions { Name = "optuna-made", StorageUrl = url, Sampler = new RandomSampler(3) });
        loaded.Optimize(t =>
        {
            var x = t.SuggestFloat("x", -5, 5);
            var n = t.SuggestInt("n", 1, 100, log: true);
            t.SuggestCategorical<object>("c", ["a", "b", 3]);
            return x * x + n;
        }, new OptimizeOptions { Trials = 5 });
        var first = loaded.Trials[6];
        Assert.Equal(1.5, first.Params["x"]);
        Assert.Equal(7, first.Params["n"]);
        Assert.Equal("b", first.Params["c"]);

        var dump = Python.Json(DumpScript, pythonUrl, "optuna-made");
        var trials = dump.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(11, trials.Count);
        Assert.All(trials, t => Assert.Equal("COMPLETE", t.GetProperty("state").GetString()));
        Assert.Equal(Enumerable.Range(0, 11), trials.Select(t => t.GetProperty("number").GetInt32()));
        foreach (var (h, o) in loaded.Trials.Zip(trials))
        {
            Assert.Equal(h.Value!.Value, o.GetProperty("values")[0].GetDouble());
        }

        // And Optuna keeps going on the database Hone touched, with its schema check: Hone kept Optuna's revision.
        var more = Python.Json("""
            import sys, json, optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = optuna.load_study(study_name="optuna-made", storage=sys.argv[1])
            study.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2, n_trials=2)
            print(json.dumps({"n": len(study.trials), "numbers": [t.number for t in study.trials]}))
            """, pythonUrl);
        Assert.Equal(13, more.GetProperty("n").GetInt32());
        Assert.Equal(13, loaded.Trials.Count);
        Assert.Equal(TrialState.Complete, loaded.Trials[12].State);
    }

    [OptunaFact]
    public void Optuna31_OpensPlainly_ADatabaseMadeWithOptunaSchema30()
    {
        var (url, pythonUrl) = NewDatabase();
        var hone = WithOption(url, "optuna_schema=3.0");
        var study = Study.Create(new StudyOptions { Name = "for-optuna-3.1", StorageUrl = hone, Sampler = new RandomSampler(5) });
        study.Optimize(t => t.SuggestFloat("x", -1, 1), new OptimizeOptions { Trials = 3 });

        // No skip_compatibility_check: Optuna 3.1 checks that the revision is its own head.
        var seen = Python.Json("""
            import sys, json, optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = optuna.load_study(study_name="for-optuna-3.1", storage=sys.argv[1])
            study.optimize(lambda t: t.suggest_float("x", -1, 1), n_trials=2)
            print(json.dumps({"version": optuna.__version__, "states": [t.state.name for t in study.trials]}))
            """, pythonUrl);
        Assert.StartsWith("3.", seen.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Repeat("COMPLETE", 5), seen.GetProperty("states").EnumerateArray().Select(e => e.GetString()));

        var reopened = Study.Load("for-optuna-3.1", hone);
        Assert.Equal(5, reopened.GetTrials(TrialState.Complete).Count);
    }

    [OptunaFact]
    public void Optuna31_RefusesTheDefaultRevision_UnlessTheCheckIsSkipped()
    {
        var (url, pythonUrl) = NewDatabase();
        var study = Study.Create(new StudyOptions { Name = "default-revision", StorageUrl = url });
        study.Optimize(t => t.SuggestFloat("x", -1, 1), new OptimizeOptions { Trials = 1 });

        var result = Python.Json("""
            import sys, json, optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            try:
                optuna.load_study(study_name="default-revision", storage=sys.argv[1])
                plain = "opened"
            except RuntimeError as e:
                plain = str(e)
            skipped = optuna.load_study(study_name="default-revision",
                                        storage=optuna.storages.RDBStorage(sys.argv[1], skip_compatibility_check=True))
            print(json.dumps({"plain": plain, "skipped": len(skipped.trials)}))
            """, pythonUrl);
        Assert.Contains("no longer compatible with the table schema", result.GetProperty("plain").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, result.GetProperty("skipped").GetInt32());
    }

    private static StorageUrl WithOption(StorageUrl url, string option) =>
        StorageUrl.Parse(url.Value + (url.Value.Contains('?', StringComparison.Ordinal) ? "&" : "?") + option);

    private static DateTime? ParseTime(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? null : DateTime.SpecifyKind(DateTime.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static void AssertSameDistribution(Distribution hone, JsonElement optuna)
    {
        var a = optuna.GetProperty("attributes");
        switch (hone)
        {
            case FloatDistribution f:
                Assert.Equal("FloatDistribution", optuna.GetProperty("name").GetString());
                Assert.Equal((f.Low, f.High, f.Log), (a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(), a.GetProperty("log").GetBoolean()));
                Assert.Equal(f.Step, a.GetProperty("step").ValueKind == JsonValueKind.Null ? null : a.GetProperty("step").GetDouble());
                break;
            case IntDistribution i:
                Assert.Equal("IntDistribution", optuna.GetProperty("name").GetString());
                Assert.Equal((i.Low, i.High, i.Log, i.Step),
                    (a.GetProperty("low").GetInt32(), a.GetProperty("high").GetInt32(), a.GetProperty("log").GetBoolean(), a.GetProperty("step").GetInt32()));
                break;
            case CategoricalDistribution c:
                Assert.Equal("CategoricalDistribution", optuna.GetProperty("name").GetString());
                Assert.Equal(c.Choices.Select(x => x?.ToString()), a.GetProperty("choices").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
                break;
            default:
                Assert.Fail($"unexpected distribution {hone}");
                break;
        }
    }

    private static string Text(double v) => double.IsFinite(v) ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : v > 0 ? "inf" : double.IsNaN(v) ? "nan" : "-inf";

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Null => "nan",
        _ => e.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
