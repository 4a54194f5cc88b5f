using System.Globalization;
using System.Text.Json;
using Hone.Trials;

namespace Hone.Samplers.CmaEs;

/// <summary>
/// JSON elements for the small integers CMA-ES writes into every trial's system attributes (generation, candidate
/// index), made once each, so that writing them costs no serialization.
/// </summary>
internal static class JsonNumbers
{
    private const int Cached = 4096;
    private static readonly JsonElement?[] Elements = new JsonElement?[Cached];
    private static readonly Lock Gate = new();

    public static JsonElement Of(int value)
    {
        if ((uint)value >= Cached)
        {
            return Make(value);
        }

        lock (Gate)
        {
            return Elements[value] ??= Make(value);
        }
    }

    /// <summary>A JSON number element, made anew.</summary>
    public static JsonElement Make(long value) => AttributeValue.Parse(value.ToString(CultureInfo.InvariantCulture));
}
