using YamlDotNet.RepresentationModel;

namespace Hone.Cli.Sweep;

/// <summary>The options of a sampler or pruner in a sweep file (<c>name:</c> plus option keys), read with their marks.</summary>
internal sealed class OptionReader(YamlContext yaml, YamlMappingNode? node, string where, YamlNode? at = null)
{
    public YamlContext Yaml { get; } = yaml;

    /// <summary>Rejects keys that the chosen sampler or pruner does not take.</summary>
    public void Allow(params string[] keys)
    {
        if (node is not null)
        {
            Yaml.CheckKeys(node, where, ["name", .. keys]);
        }
    }

    public YamlNode? Get(string key) => node is null ? null : YamlContext.Get(node, key);

    public int? Int(string key, int min = int.MinValue) => Get(key) is { } n ? Yaml.Int(n, $"{where}.{key}", min) : null;

    public long? Long(string key) => Get(key) is { } n ? (long?)Yaml.Int(n, $"{where}.{key}") : null;

    public double? Double(string key) => Get(key) is { } n ? Yaml.Double(n, $"{where}.{key}") : null;

    public bool? Bool(string key) => Get(key) is { } n ? Yaml.Bool(n, $"{where}.{key}") : null;

    public string? String(string key) => Get(key) is { } n ? Yaml.String(n, $"{where}.{key}") : null;

    /// <summary>Reports a problem at the option (or at the block when the option is absent).</summary>
    public void Problem(string key, string message)
    {
        if (Get(key) is { } n)
        {
            Yaml.Problem(n, message);
        }
        else if (((YamlNode?)node ?? at) is { } n2)
        {
            Yaml.Problem(n2, message);
        }
        else
        {
            Yaml.Problem(message);
        }
    }
}
