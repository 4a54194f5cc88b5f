using System.Text.RegularExpressions;
using Hone.Distributions;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Cli.Sweep;

/// <summary>A sweep file, read and checked: everything <c>hone optimize</c> needs to run a study.</summary>
internal sealed record SweepFile
{
    /// <summary>The sweep file's full path.</summary>
    public required string Path { get; init; }

    /// <summary>The folder of the sweep file: relative paths in it are relative to this.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The sweep file's text, kept with the study so that <c>hone worker</c> can run it by the study's name.</summary>
    public string Text { get; init; } = string.Empty;

    public required string StudyName { get; init; }

    /// <summary>The storage URL with relative SQLite paths made absolute against <see cref="Directory"/>.</summary>
    public required string Storage { get; init; }

    public required IReadOnlyList<StudyDirection> Directions { get; init; }

    /// <summary>One metric name per objective, in the order of <see cref="Directions"/>.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    public required string SamplerName { get; init; }

    public required Func<ISampler> CreateSampler { get; init; }

    public required string PrunerName { get; init; }

    public required Func<IPruner> CreatePruner { get; init; }

    /// <summary>The search space, in file order (a conditional parameter comes after the ones it depends on).</summary>
    public required IReadOnlyList<ParameterSpec> Parameters { get; init; }

    /// <summary>The program and its arguments, with placeholders, when <see cref="Shell"/> is false.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Run <see cref="ShellCommand"/> with <c>/bin/sh -c</c> instead of <see cref="Argv"/>.</summary>
    public bool Shell { get; init; }

    public string? ShellCommand { get; init; }

    public required string WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public required ResultSpec Result { get; init; }

    /// <summary>How many finished trials the study should have (earlier runs count; interrupted trials do not).</summary>
    public int? Trials { get; init; }

    /// <summary>After this long no new trial starts.</summary>
    public TimeSpan? Timeout { get; init; }

    public int Jobs { get; init; } = 1;

    public TimeSpan? TrialTimeout { get; init; }

    /// <summary>How many times a failed trial's parameters are run again, as new trials.</summary>
    public int Retries { get; init; }

    /// <summary>Time between SIGTERM and SIGKILL when a trial is stopped.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The folder of this study's trial logs.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>With <c>scheduler: pbt</c>, the population-based-training settings; null runs each trial once.</summary>
    public Population.PbtOptions? Pbt { get; init; }
}

/// <summary>One parameter of the search space.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Distribution">What it is drawn from.</param>
/// <param name="When">Conditions that must all hold for the parameter to exist in a trial.</param>
internal sealed record ParameterSpec(string Name, Distribution Distribution, IReadOnlyList<ParameterCondition> When)
{
    /// <summary>The environment variable that carries the value: HONE_PARAM_ and the name in upper case, other characters as _.</summary>
    public string EnvironmentName => EnvironmentNameOf(Name);

    public static string EnvironmentNameOf(string name)
    {
        var chars = name.ToUpperInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]))
            {
                chars[i] = '_';
            }
        }

        return "HONE_PARAM_" + new string(chars);
    }
}

/// <summary>The parameter exists only when <paramref name="Parameter"/> exists and takes one of <paramref name="Values"/>.</summary>
internal sealed record ParameterCondition(string Parameter, IReadOnlyList<object?> Values);

/// <summary>Where each trial's result comes from.</summary>
internal sealed class ResultSpec
{
    /// <summary>A file to read after the program exits (placeholders allowed), instead of stdout.</summary>
    public string? File { get; init; }

    /// <summary>One pattern per metric; the last match wins; group "value" or group 1 is the number. Null reads JSON.</summary>
    public IReadOnlyList<Regex>? Patterns { get; init; }
}
