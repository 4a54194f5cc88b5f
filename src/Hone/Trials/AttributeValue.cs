using System.Text.Json;

namespace Hone.Trials;

/// <summary>
/// User and system attributes are stored as JSON (as in Optuna's schema), so every storage returns the
/// same thing: a <see cref="JsonElement"/>.
/// </summary>
public static class AttributeValue
{
    /// <summary>Converts a value to JSON, with a clear error when it cannot be.</summary>
    /// <exception cref="ArgumentException">The value cannot be written as JSON.</exception>
    public static JsonElement From(string key, object? value)
    {
        if (value is JsonElement element)
        {
            return element.Clone();
        }

        try
        {
#pragma warning disable IL2026, IL3050 // attributes are user data of any shape; reflection-based JSON is the point
            return JsonSerializer.SerializeToElement(value);
#pragma warning restore IL2026, IL3050
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException(
                $"Attribute \"{key}\" must be a JSON-serializable value (number, string, bool, null, array, dictionary or plain object); " +
                $"{value!.GetType().Name} could not be written: {e.Message}", nameof(value), e);
        }
    }

    /// <summary>Parses stored JSON text back into an element.</summary>
    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
