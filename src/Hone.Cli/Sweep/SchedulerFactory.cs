using Hone.Population;

namespace Hone.Cli.Sweep;

/// <summary>
/// The sweep file's <c>scheduler</c>: <c>none</c> (each trial runs its program once, the default) or <c>pbt</c>
/// (population-based training: each trial is a segment of a member, restarted from a checkpoint).
/// </summary>
internal static class SchedulerFactory
{
    public static readonly IReadOnlyList<string> Names = ["none", "pbt"];

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
                o.Allow("population", "interval", "generations", "quantile", "resample_probability", "seed");
                var d = new PbtOptions();
                var options = new PbtOptions
                {
                    PopulationSize = o.Int("population", 2) ?? d.PopulationSize,
                    Interval = o.Int("interval", 1) ?? d.Interval,
                    Generations = o.Int("generations", 1) ?? d.Generations,
                    Quantile = o.Double("quantile") ?? d.Quantile,
                    ResampleProbability = o.Double("resample_probability") ?? d.ResampleProbability,
                    Seed = o.Int("seed"),
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

            default:
                o.Problem("name", $"unknown scheduler \"{name}\"; known: {string.Join(", ", Names)}");
                return null;
        }
    }
}
