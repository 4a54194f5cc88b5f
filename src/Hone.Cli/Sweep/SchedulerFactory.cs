using Hone.Population;

namespace Hone.Cli.Sweep;

/// <summary>
/// The sweep file's <c>scheduler</c>: <c>none</c> (each trial runs its program once, the default) or <c>pbt</c>
/// (population-based training: each trial is a segment of a member, restarted from a checkpoint), whose <c>explore</c> is
/// <c>perturb</c> (PBT's random perturbation, the default) or <c>pb2</c> (PB2's GP bandit).
/// </summary>
internal static class SchedulerFactory
{
    public static readonly IReadOnlyList<string> Names = ["none", "pbt"];

    /// <summary>The values of <c>scheduler.explore</c>.</summary>
    public static readonly IReadOnlyList<string> ExploreNames = ["perturb", "pb2"];

    /// <summary>The PBT options, null for <c>none</c>; problems go to the YAML context.</summary>
    public static PbtOptions? Read(string name, OptionReader o)
    {
        switch (name)
        {
            case "none":
                o.Allow();
                return null;
            case "pbt":
            {
                o.Allow("population", "interval", "generations", "quantile", "resample_probability", "explore", "seed");
                var d = new PbtOptions();
                var options = new PbtOptions
                {
                    PopulationSize = o.Int("population", 2) ?? d.PopulationSize,
                    Interval = o.Int("interval", 1) ?? d.Interval,
                    Generations = o.Int("generations", 1) ?? d.Generations,
                    Quantile = o.Double("quantile") ?? d.Quantile,
                    ResampleProbability = o.Double("resample_probability") ?? d.ResampleProbability,
                    Seed = o.Int("seed"),
                    Explore = o.String("explore") switch
                    {
                        null or "perturb" => PbtExploreMethod.Perturb,
                        "pb2" => PbtExploreMethod.Pb2,
                        var other => Unknown(o, other),
                    },
                };
                if (!(options.Quantile > 0 && options.Quantile <= 0.5))
                {
                    o.Problem("quantile", $"scheduler.quantile must be in (0, 0.5] (the fraction of members that exploit, and that are copied); got {options.Quantile}");
                }

                if (!(options.ResampleProbability >= 0 && options.ResampleProbability <= 1))
                {
                    o.Problem("resample_probability", $"scheduler.resample_probability must be in [0, 1]; got {options.ResampleProbability}");
                }

                return options;
            }

            case "pb2":
                o.Problem("name", "scheduler \"pb2\" is population-based training with PB2's explore: write scheduler: {name: pbt, explore: pb2}");
                return null;
            default:
                o.Problem("name", $"unknown scheduler \"{name}\"; known: {string.Join(", ", Names)}");
                return null;
        }
    }

    private static PbtExploreMethod Unknown(OptionReader o, string value)
    {
        o.Problem("explore", $"unknown scheduler.explore \"{value}\"; known: {string.Join(", ", ExploreNames)} (pb2: Parker-Holder et al. 2020's GP bandit)");
        return PbtExploreMethod.Perturb;
    }
}
