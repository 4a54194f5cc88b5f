using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Auto;
using Hone.Samplers.CmaEs;
using Hone.Samplers.Gp;
using Hone.Samplers.Nsga;
using Hone.Samplers.Qmc;
using Hone.Samplers.Tpe;

namespace Hone.Cli.Sweep;

/// <summary>Sampler names in a sweep file and the options each takes (Optuna's names, in snake_case).</summary>
internal static class SamplerFactory
{
    private static readonly string[] NsgaKeys =
        ["seed", "population_size", "crossover", "crossover_prob", "swapping_prob", "mutation_prob", "sbx_eta", "mutation_eta", "blx_alpha"];

    public static readonly IReadOnlyList<string> Names = ["auto", "tpe", "random", "qmc", "grid", "bruteforce", "cmaes", "gp", "nsga2", "nsga3"];

    /// <summary>Builds a factory for the named sampler, or returns null after recording problems.</summary>
    public static Func<ISampler>? Create(string name, OptionReader o, IReadOnlyList<ParameterSpec> parameters)
    {
        switch (name)
        {
            case "auto":
            {
                o.Allow("seed", "gp_trials", "gp_max_dimensions", "gp_patience");
                var d = new AutoSamplerOptions();
                var options = new AutoSamplerOptions
                {
                    Seed = o.Long("seed"),
                    GaussianProcessTrials = o.Int("gp_trials", 0) ?? d.GaussianProcessTrials,
                    GaussianProcessMaxDimensions = o.Int("gp_max_dimensions", 1) ?? d.GaussianProcessMaxDimensions,
                    GaussianProcessPatience = o.Int("gp_patience", 1),
                };
                return () => new AutoSampler(options);
            }

            case "random":
            {
                o.Allow("seed");
                var seed = o.Long("seed");
                return () => new RandomSampler(seed);
            }

            case "bruteforce":
            {
                o.Allow("seed");
                var seed = o.Long("seed");
                var fits = true;
                foreach (var p in parameters)
                {
                    if (BruteForceSampler.Problem(p.Name, p.Distribution) is { } problem)
                    {
                        o.Problem("name", $"sampler bruteforce: {problem}");
                        fits = false;
                    }
                }

                return fits ? () => new BruteForceSampler(seed) : null;
            }

            case "tpe":
            {
                o.Allow("seed", "startup_trials", "ei_candidates", "multivariate", "group", "constant_liar", "consider_prior",
                    "prior_weight", "consider_magic_clip", "consider_endpoints");
                var d = new TpeSamplerOptions();
                var options = new TpeSamplerOptions
                {
                    Seed = o.Long("seed"),
                    StartupTrials = o.Int("startup_trials", 0) ?? d.StartupTrials,
                    EiCandidates = o.Int("ei_candidates", 1) ?? d.EiCandidates,
                    Multivariate = o.Bool("multivariate") ?? d.Multivariate,
                    Group = o.Bool("group") ?? d.Group,
                    ConstantLiar = o.Bool("constant_liar") ?? d.ConstantLiar,
                    ConsiderPrior = o.Bool("consider_prior") ?? d.ConsiderPrior,
                    PriorWeight = o.Double("prior_weight") ?? d.PriorWeight,
                    ConsiderMagicClip = o.Bool("consider_magic_clip") ?? d.ConsiderMagicClip,
                    ConsiderEndpoints = o.Bool("consider_endpoints") ?? d.ConsiderEndpoints,
                };
                if (options.Problems() is { } problem)
                {
                    o.Problem("name", $"sampler tpe: {problem}");
                    return null;
                }

                return () => new TpeSampler(options);
            }

            case "cmaes":
            {
                o.Allow("seed", "sigma0", "popsize", "use_separable_cma", "with_margin", "restart_strategy", "warm_start", "warm_start_gamma", "lr_adapt");
                var restart = CmaEsRestart.None;
                switch (o.String("restart_strategy"))
                {
                    case null or "none": break;
                    case "ipop": restart = CmaEsRestart.Ipop; break;
                    case "bipop": restart = CmaEsRestart.Bipop; break;
                    case { } other:
                        o.Problem("restart_strategy", $"sampler.restart_strategy \"{other}\" is unknown; {KeySuggestions.Hint(other, ["none", "ipop", "bipop"])}");
                        break;
                }

                var d = new CmaEsSamplerOptions();
                var sigma0 = o.Double("sigma0");
                if (sigma0 is { } s0 && !(s0 > 0))
                {
                    o.Problem("sigma0", $"sampler.sigma0 is {s0}; it must be a positive fraction of each parameter's range, such as 0.1667 (the default)");
                    return null;
                }

                var gamma = o.Double("warm_start_gamma");
                if (gamma is { } g && !(g > 0 && g <= 1))
                {
                    o.Problem("warm_start_gamma", $"sampler.warm_start_gamma is {g}; it must be the fraction of the best earlier trials to warm-start from, in (0, 1], such as 0.1 (the default)");
                    return null;
                }

                var options = new CmaEsSamplerOptions
                {
                    Seed = o.Long("seed"),
                    WarmStartGamma = gamma ?? d.WarmStartGamma,
                    LearningRateAdaptation = o.Bool("lr_adapt") ?? d.LearningRateAdaptation,
                    Sigma0 = sigma0 ?? d.Sigma0,
                    PopulationSize = o.Int("popsize", 2),
                    Separable = o.Bool("use_separable_cma") ?? d.Separable,
                    WithMargin = o.Bool("with_margin") ?? d.WithMargin,
                    WarmStart = o.Bool("warm_start") ?? d.WarmStart,
                    Restart = restart,
                };
                if (options.Problems() is { } problem)
                {
                    o.Problem("name", $"sampler cmaes: {problem}");
                    return null;
                }

                return () => new CmaEsSampler(options);
            }

            case "gp":
            {
                o.Allow("seed", "startup_trials", "n_startup_trials", "deterministic_objective", "warp_output");
                if (o.Get("startup_trials") is not null && o.Get("n_startup_trials") is not null)
                {
                    o.Problem("n_startup_trials", "sampler gp: give startup_trials or n_startup_trials (the same setting), not both");
                    return null;
                }

                var d = new GpSamplerOptions();
                var options = new GpSamplerOptions
                {
                    Seed = o.Long("seed"),
                    StartupTrials = o.Int("startup_trials", 0) ?? o.Int("n_startup_trials", 0) ?? d.StartupTrials,
                    DeterministicObjective = o.Bool("deterministic_objective") ?? d.DeterministicObjective,
                    WarpOutput = o.Bool("warp_output") ?? d.WarpOutput,
                };
                return () => new GpSampler(options);
            }

            case "nsga2":
            case "nsga3":
            {
                o.Allow([.. NsgaKeys, .. name == "nsga3" ? ["dividing_parameter"] : Array.Empty<string>()]);
                var crossover = NsgaCrossover.Sbx;
                switch (o.String("crossover"))
                {
                    case null or "sbx": break;
                    case "uniform": crossover = NsgaCrossover.Uniform; break;
                    case "blx_alpha": crossover = NsgaCrossover.BlxAlpha; break;
                    case { } other:
                        o.Problem("crossover", $"sampler.crossover \"{other}\" is unknown; {KeySuggestions.Hint(other, ["sbx", "uniform", "blx_alpha"])}");
                        return null;
                }

                var d = new NsgaIISamplerOptions();
                var seed = o.Long("seed");
                var population = o.Int("population_size", 2) ?? d.PopulationSize;
                var crossoverProb = o.Double("crossover_prob") ?? d.CrossoverProbability;
                var swappingProb = o.Double("swapping_prob") ?? d.SwappingProbability;
                var mutationProb = o.Double("mutation_prob");
                var sbxEta = o.Double("sbx_eta") ?? d.SbxEta;
                var mutationEta = o.Double("mutation_eta") ?? d.MutationEta;
                var blxAlpha = o.Double("blx_alpha") ?? d.BlxAlpha;
                NsgaIISamplerOptions options = name == "nsga2"
                    ? new NsgaIISamplerOptions
                    {
                        Seed = seed, PopulationSize = population, Crossover = crossover, CrossoverProbability = crossoverProb,
                        SwappingProbability = swappingProb, MutationProbability = mutationProb, SbxEta = sbxEta, MutationEta = mutationEta, BlxAlpha = blxAlpha,
                    }
                    : new NsgaIIISamplerOptions
                    {
                        Seed = seed, PopulationSize = population, Crossover = crossover, CrossoverProbability = crossoverProb,
                        SwappingProbability = swappingProb, MutationProbability = mutationProb, SbxEta = sbxEta, MutationEta = mutationEta, BlxAlpha = blxAlpha,
                        ReferencePointDivisions = o.Int("dividing_parameter", 1),
                    };
                foreach (var (key, value) in new[] { ("crossover_prob", crossoverProb), ("swapping_prob", swappingProb), ("mutation_prob", mutationProb ?? 0) })
                {
                    if (!(value >= 0 && value <= 1))
                    {
                        o.Problem(key, $"sampler.{key} is {value}; it must be a probability in [0, 1]");
                        return null;
                    }
                }

                foreach (var (key, value) in new[] { ("sbx_eta", sbxEta), ("mutation_eta", mutationEta), ("blx_alpha", blxAlpha) })
                {
                    if (!(value >= 0) || double.IsInfinity(value))
                    {
                        o.Problem(key, $"sampler.{key} is {value}; it must be a finite number ≥ 0");
                        return null;
                    }
                }

                if (options.Problems() is { } problem)
                {
                    o.Problem("name", $"sampler {name}: {problem}");
                    return null;
                }

                return options is NsgaIIISamplerOptions three ? () => new NsgaIIISampler(three) : () => new NsgaIISampler(options);
            }

            case "qmc":
            {
                o.Allow("seed", "qmc_type", "scramble");
                var type = QmcType.Sobol;
                switch (o.String("qmc_type"))
                {
                    case null or "sobol": break;
                    case "halton": type = QmcType.Halton; break;
                    case { } other:
                        o.Problem("qmc_type", $"sampler.qmc_type \"{other}\" is unknown; {KeySuggestions.Hint(other, ["sobol", "halton"])}");
                        break;
                }

                var options = new QmcSamplerOptions { Seed = o.Long("seed"), QmcType = type, Scramble = o.Bool("scramble") ?? true };
                return () => new QmcSampler(options);
            }

            case "grid":
            {
                o.Allow("seed");
                var seed = o.Long("seed");
                var grid = new Dictionary<string, IReadOnlyList<object?>>();
                foreach (var p in parameters)
                {
                    var values = GridValues(p.Distribution);
                    if (values is null)
                    {
                        o.Problem("name", $"sampler grid needs a finite set of values for every parameter; \"{p.Name}\" is {p.Distribution} " +
                            "(give a float parameter a step, or make it categorical)");
                        return null;
                    }

                    grid[p.Name] = values;
                }

                return () => new GridSampler(grid, seed);
            }

            default:
                o.Problem("name", $"unknown sampler \"{name}\"; {KeySuggestions.Hint(name, [.. Names])}");
                return null;
        }
    }

    private static List<object?>? GridValues(Distribution d)
    {
        switch (d)
        {
            case CategoricalDistribution c:
                return [.. c.Choices];
            case IntDistribution { Log: false } i when ((long)i.High - i.Low) / i.Step < 100_000:
            {
                var list = new List<object?>();
                for (long v = i.Low; v <= i.High; v += i.Step)
                {
                    list.Add((int)v);
                }

                return list;
            }

            case FloatDistribution { Step: { } step } f when (f.High - f.Low) / step < 100_000:
            {
                var list = new List<object?>();
                var n = (long)Math.Round((f.High - f.Low) / step);
                for (long k = 0; k <= n; k++)
                {
                    list.Add(f.Low + (k * step));
                }

                return list;
            }

            default:
                return null;
        }
    }
}
