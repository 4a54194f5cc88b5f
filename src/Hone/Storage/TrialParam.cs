using Hone.Distributions;

namespace Hone.Storage;

/// <summary>A parameter of a trial as a storage records it: its name, internal value and distribution.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="InternalValue">The value in the distribution's internal representation.</param>
/// <param name="Distribution">The distribution it was drawn from.</param>
public sealed record TrialParam(string Name, double InternalValue, Distribution Distribution);
