using Hone.Pruners;

namespace Hone.Cli.Sweep;

/// <summary>Pruner names in a sweep file and the options each takes (Optuna's names, in snake_case).</summary>
internal static class PrunerFactory
{
    public static readonly IReadOnlyList<string> Names =
        ["none", "median", "percentile", "successive_halving", "hyperband", "threshold", "patient", "wilcoxon"];

    /// <summary>Builds a factory for the named pruner, or returns null after recording problems.</summary>
    public static Func<IPruner>? Create(string name, OptionReader o)
    {
        Func<IPruner>? factory;
        switch (name)
        {
            case "none" or "nop":
                o.Allow();
                return () => NopPruner.Instance;
            case "median":
            {
                o.Allow("startup_trials", "warmup_steps", "interval_steps", "min_trials");
                var d = new MedianPrunerOptions();
                var options = new MedianPrunerOptions
                {
                    StartupTrials = o.Int("startup_trials") ?? d.StartupTrials,
                    WarmupSteps = o.Int("warmup_steps") ?? d.WarmupSteps,
                    IntervalSteps = o.Int("interval_steps") ?? d.IntervalSteps,
                    MinTrials = o.Int("min_trials") ?? d.MinTrials,
                };
                factory = () => new MedianPruner(options);
                break;
            }

            case "percentile":
            {
                o.Allow("percentile", "startup_trials", "warmup_steps", "interval_steps", "min_trials");
                var d = new PercentilePrunerOptions();
                var options = new PercentilePrunerOptions
                {
                    Percentile = o.Double("percentile") ?? d.Percentile,
                    StartupTrials = o.Int("startup_trials") ?? d.StartupTrials,
                    WarmupSteps = o.Int("warmup_steps") ?? d.WarmupSteps,
                    IntervalSteps = o.Int("interval_steps") ?? d.IntervalSteps,
                    MinTrials = o.Int("min_trials") ?? d.MinTrials,
                };
                factory = () => new PercentilePruner(options);
                break;
            }

            case "successive_halving":
            {
                o.Allow("min_resource", "reduction_factor", "min_early_stopping_rate", "bootstrap_count");
                var d = new SuccessiveHalvingPrunerOptions();
                var options = new SuccessiveHalvingPrunerOptions
                {
                    MinResource = o.Int("min_resource") ?? d.MinResource,
                    ReductionFactor = o.Int("reduction_factor") ?? d.ReductionFactor,
                    MinEarlyStoppingRate = o.Int("min_early_stopping_rate") ?? d.MinEarlyStoppingRate,
                    BootstrapCount = o.Int("bootstrap_count") ?? d.BootstrapCount,
                };
                factory = () => new SuccessiveHalvingPruner(options);
                break;
            }

            case "hyperband":
            {
                o.Allow("min_resource", "max_resource", "reduction_factor", "bootstrap_count");
                var d = new HyperbandPrunerOptions();
                var options = new HyperbandPrunerOptions
                {
                    MinResource = o.Int("min_resource") ?? d.MinResource,
                    MaxResource = o.Int("max_resource") ?? d.MaxResource,
                    ReductionFactor = o.Int("reduction_factor") ?? d.ReductionFactor,
                    BootstrapCount = o.Int("bootstrap_count") ?? d.BootstrapCount,
                };
                factory = () => new HyperbandPruner(options);
                break;
            }

            case "threshold":
            {
                o.Allow("lower", "upper", "warmup_steps", "interval_steps");
                var d = new ThresholdPrunerOptions();
                var options = new ThresholdPrunerOptions
                {
                    Lower = o.Double("lower"),
                    Upper = o.Double("upper"),
                    WarmupSteps = o.Int("warmup_steps") ?? d.WarmupSteps,
                    IntervalSteps = o.Int("interval_steps") ?? d.IntervalSteps,
                };
                factory = () => new ThresholdPruner(options);
                break;
            }

            case "wilcoxon":
            {
                o.Allow("p_threshold", "startup_steps");
                var d = new WilcoxonPrunerOptions();
                var options = new WilcoxonPrunerOptions
                {
                    PThreshold = o.Double("p_threshold") ?? d.PThreshold,
                    StartupSteps = o.Int("startup_steps") ?? d.StartupSteps,
                };
                factory = () => new WilcoxonPruner(options);
                break;
            }

            case "patient":
            {
                o.Allow("patience", "min_delta", "wrapped_pruner");
                Func<IPruner>? wrapped = null;
                if (o.Get("wrapped_pruner") is { } inner)
                {
                    var (innerName, innerOptions) = SweepReader.ReadNamed(o.Yaml, inner, "pruner.wrapped_pruner", "none");
                    wrapped = Create(innerName, new OptionReader(o.Yaml, innerOptions, "pruner.wrapped_pruner"));
                    if (wrapped is null)
                    {
                        return null;
                    }
                }

                var d = new PatientPrunerOptions();
                var patience = o.Int("patience") ?? d.Patience;
                var minDelta = o.Double("min_delta") ?? d.MinDelta;
                factory = () => new PatientPruner(new PatientPrunerOptions
                {
                    WrappedPruner = wrapped?.Invoke(),
                    Patience = patience,
                    MinDelta = minDelta,
                });
                break;
            }

            default:
                o.Problem("name", $"unknown pruner \"{name}\"; {KeySuggestions.Hint(name, [.. Names])}");
                return null;
        }

        // The pruners check their options when built: build one now so that a bad value is reported with its place.
        try
        {
            factory();
        }
        catch (ArgumentException e)
        {
            o.Problem("name", $"pruner {name}: {YamlContext.MessageOf(e)}");
            return null;
        }

        return factory;
    }
}
