using System.Text.RegularExpressions;
using Hone.Distributions;
using Hone.Storage;
using Hone.Studies;
using YamlDotNet.RepresentationModel;

namespace Hone.Cli.Sweep;

/// <summary>
/// Reads a sweep file into a <see cref="SweepFile"/>, or throws <see cref="SweepException"/> with every
/// problem found, each at its <c>file:line:column</c>.
/// </summary>
internal static partial class SweepReader
{
    public static readonly IReadOnlyList<string> TopLevelKeys =
    [
        "study", "storage", "direction", "directions", "metric", "metrics", "sampler", "pruner", "parameters",
        "command", "shell", "workdir", "env", "result", "trials", "timeout", "jobs", "trial_timeout", "retries",
        "grace_period", "logs", "scheduler",
    ];

    private static readonly string[] ParameterKeys = ["type", "low", "high", "log", "step", "choices", "when"];
    private static readonly string[] ParameterTypes = ["float", "int", "categorical"];
    private static readonly string[] ResultKeys = ["regex", "file"];

    /// <summary>The longest study or parameter name: the storage's columns hold 512 characters (Optuna's schema).</summary>
    public const int MaxNameLength = 512;

    /// <summary>The most trials a sweep may run at once: each is a process with its own worker.</summary>
    public const int MaxJobs = 1024;

    /// <summary>The storage a sweep uses when it names none: a SQLite file beside the sweep file.</summary>
    public static string DefaultStorage { get; set; } = "sqlite:///hone.db";

    public static SweepFile Read(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            if (SweepLimits.SizeProblem(path, new FileInfo(fullPath).Length) is { } tooLarge)
            {
                throw new SweepException(tooLarge);
            }

            // Read at most one character past the limit: a device or pipe (/dev/zero) has no length to check first.
            using var reader = new StreamReader(fullPath, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[SweepLimits.MaxBytes + 1];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            if (read > SweepLimits.MaxBytes)
            {
                throw new SweepException($"{path}: the sweep file is longer than 1 MiB; a sweep file may be at most 1 MiB ({SweepLimits.MaxBytes} bytes)");
            }

            text = new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{path}: cannot read the sweep file: {e.Message}");
        }

        return Parse(path, fullPath, text);
    }

    /// <summary>Parses sweep text; <paramref name="displayName"/> is the file name used in messages.</summary>
    public static SweepFile Parse(string displayName, string fullPath, string text)
    {
        if (SweepLimits.Problem(displayName, text) is { } limit)
        {
            throw new SweepException(limit);
        }

        var yaml = new YamlContext(displayName);
        var root = YamlContext.Load(displayName, text, out var syntaxError);
        if (syntaxError is not null)
        {
            throw new SweepException(syntaxError);
        }

        if (root is null)
        {
            throw new SweepException($"{displayName}: the sweep file is empty; it needs at least \"command\" and \"parameters\"");
        }

        // Paths, arguments and environment values cannot carry NUL (argv and the OS cut them there), so no value may.
        yaml.CheckNoNul(root);
        if (yaml.Problems.Count > 0)
        {
            throw new SweepException(yaml.Problems);
        }

        var map = yaml.Mapping(root, "the sweep file");
        if (map is null)
        {
            throw new SweepException(yaml.Problems);
        }

        yaml.CheckKeys(map, "the sweep file", TopLevelKeys);
        var dir = System.IO.Path.GetDirectoryName(fullPath)!;
        YamlNode? Get(string key) => YamlContext.Get(map, key);

        var study = Get("study") is { } s ? yaml.String(s, "study") : null;
        if (study is not null && (study.Trim().Length == 0 || study.Length > MaxNameLength))
        {
            yaml.Problem(Get("study")!, $"study must be a name of 1 to {MaxNameLength} characters (the storage's limit); got {study.Length} characters");
        }

        study ??= System.IO.Path.GetFileNameWithoutExtension(fullPath);

        var storageNode = Get("storage");
        var storage = storageNode is not null ? yaml.String(storageNode, "storage") : null;
        storage = ResolveStorage(storage ?? DefaultStorage, dir);
        if (StorageUrl.Problem(storage) is { } storageProblem)
        {
            yaml.Problem(storageNode ?? map, $"storage: {storageProblem}");
        }

        var (directions, metrics) = ReadObjectives(yaml, map);
        var parameters = ReadParameters(yaml, map);

        var samplerNode = Get("sampler");
        var (samplerName, samplerOptions) = ReadNamed(yaml, samplerNode, "sampler", "auto");
        var createSampler = SamplerFactory.Create(samplerName, new OptionReader(yaml, samplerOptions, "sampler", samplerNode), parameters);

        var prunerNode = Get("pruner");
        var (prunerName, prunerOptions) = ReadNamed(yaml, prunerNode, "pruner", "none");
        var createPruner = PrunerFactory.Create(prunerName, new OptionReader(yaml, prunerOptions, "pruner", prunerNode));
        if (directions.Count > 1 && prunerName is not ("none" or "nop"))
        {
            yaml.Problem(prunerNode!, "pruning needs a single objective; this sweep has several metrics (use pruner: none)");
        }

        var schedulerNode = Get("scheduler");
        var (schedulerName, schedulerOptions) = ReadNamed(yaml, schedulerNode, "scheduler", "none");
        var pbt = SchedulerFactory.Read(schedulerName, new OptionReader(yaml, schedulerOptions, "scheduler", schedulerNode));
        if (pbt is not null && directions.Count > 1)
        {
            yaml.Problem(schedulerNode!, "scheduler: pbt ranks members by one metric; this sweep has several (use one metric)");
        }

        if (pbt is not null && prunerName is not ("none" or "nop"))
        {
            yaml.Problem(prunerNode!, "scheduler: pbt decides which members go on; remove the pruner (pruner: none)");
        }

        var shell = Get("shell") is { } sh && yaml.Bool(sh, "shell") == true;
        var declared = Get("parameters") is YamlMappingNode pm
            ? pm.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty).ToList()
            : [];
        var (argv, shellCommand) = ReadCommand(yaml, Get("command"), shell, declared, map);

        var workdir = Get("workdir") is { } w ? yaml.String(w, "workdir") : null;
        workdir = workdir is null ? dir : System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, workdir));

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get("env") is { } envNode && yaml.Mapping(envNode, "env") is { } envMap)
        {
            foreach (var (k, v) in envMap.Children)
            {
                if (k is YamlScalarNode { Value: { Length: > 0 } key } && v is YamlScalarNode { Value: var value })
                {
                    if (key.Contains('=', StringComparison.Ordinal))
                    {
                        yaml.Problem(k, $"env: the variable name \"{key}\" contains \"=\", which no environment variable name can");
                    }

                    env[key] = value ?? string.Empty;
                }
                else
                {
                    yaml.Problem(k, "env must map variable names to plain values (NAME: value)");
                }
            }
        }

        var result = ReadResult(yaml, Get("result"), metrics, declared);

        int? trials = Get("trials") is { } t ? yaml.Int(t, "trials", 1) : null;
        var timeout = Get("timeout") is { } to ? yaml.Duration(to, "timeout") : null;
        var jobs = Get("jobs") is { } j ? yaml.Int(j, "jobs", 1) ?? 1 : 1;
        if (jobs > MaxJobs)
        {
            yaml.Problem(Get("jobs")!, $"jobs must be at most {MaxJobs} (trials run at once, each a process); got {jobs}");
        }

        var trialTimeout = Get("trial_timeout") is { } tt ? yaml.Duration(tt, "trial_timeout") : null;
        var retries = Get("retries") is { } r ? yaml.Int(r, "retries", 0) ?? 0 : 0;
        var grace = Get("grace_period") is { } g ? yaml.Duration(g, "grace_period") : null;
        var logs = Get("logs") is { } l ? yaml.String(l, "logs") : null;
        var logDir = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, logs ?? "hone-logs", SafeFileName(study)));

        if (Get("parameters") is null)
        {
            yaml.Problem(map, "the sweep file has no \"parameters\": add a mapping of parameter names to their ranges, e.g. \"parameters: {x: {type: float, low: 0, high: 1}}\"");
        }

        if (Get("command") is null)
        {
            yaml.Problem(map, "the sweep file has no \"command\": add the program to run, e.g. \"command: [python3, train.py, --lr, \\\"{lr}\\\"]\"");
        }

        if (yaml.Problems.Count == 0 && createSampler is not null)
        {
            // Build the sampler once, as optimize will, so that what only its constructor checks is reported here.
            try
            {
                createSampler();
            }
            catch (ArgumentException e)
            {
                yaml.Problem((YamlNode?)samplerNode ?? map, $"sampler {samplerName}: {YamlContext.MessageOf(e)}");
            }
        }

        if (yaml.Problems.Count > 0 || createSampler is null || createPruner is null)
        {
            throw new SweepException(yaml.Problems.Count > 0 ? yaml.Problems : [$"{displayName}: invalid sweep file"]);
        }

        return new SweepFile
        {
            Path = fullPath,
            Text = text,
            StudyName = study,
            Storage = storage,
            Directions = directions,
            Metrics = metrics,
            SamplerName = samplerName,
            CreateSampler = createSampler,
            PrunerName = prunerName,
            CreatePruner = createPruner,
            Parameters = parameters,
            Argv = argv,
            Shell = shell,
            ShellCommand = shellCommand,
            WorkingDirectory = workdir,
            Environment = env,
            Result = result,
            Trials = trials,
            Timeout = timeout,
            Jobs = jobs,
            TrialTimeout = trialTimeout,
            Retries = retries,
            GracePeriod = grace ?? TimeSpan.FromSeconds(10),
            LogDirectory = logDir,
            Pbt = pbt,
        };
    }

    /// <summary>
    /// Makes a relative SQLite database or journal file path absolute against the sweep file's folder (SQLAlchemy's URL
    /// rules: three slashes, then the path; options after <c>?</c> kept).
    /// </summary>
    public static string ResolveStorage(string url, string baseDirectory)
    {
        foreach (var prefix in (string[])["sqlite:///", "journal:///"])
        {
            if (!url.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = url[prefix.Length..];
            var query = rest.IndexOf('?', StringComparison.Ordinal);
            var path = query < 0 ? rest : rest[..query];
            if (path.Length > 0 && path != ":memory:" && !System.IO.Path.IsPathRooted(path))
            {
                return prefix + System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path)) + (query < 0 ? string.Empty : rest[query..]);
            }
        }

        return url;
    }

    public static string SafeFileName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not ('-' or '_' or '.'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static (IReadOnlyList<StudyDirection>, IReadOnlyList<string>) ReadObjectives(YamlContext yaml, YamlMappingNode map)
    {
        var directionNode = YamlContext.Get(map, "direction");
        var directionsNode = YamlContext.Get(map, "directions");
        var metricNode = YamlContext.Get(map, "metric");
        var metricsNode = YamlContext.Get(map, "metrics");
        var directions = new List<StudyDirection>();
        var metrics = new List<string>();
        if (directionNode is not null && directionsNode is not null)
        {
            yaml.Problem(directionsNode, "give \"direction\" (one objective) or \"directions\" (several), not both");
        }

        if (metricNode is not null && metricsNode is not null)
        {
            yaml.Problem(metricsNode, "give \"metric\" (one objective) or \"metrics\" (several), not both");
        }

        if (directionsNode is not null && yaml.Sequence(directionsNode, "directions") is { } ds)
        {
            foreach (var d in ds)
            {
                if (Direction(yaml, d) is { } dir)
                {
                    directions.Add(dir);
                }
            }
        }
        else if (directionNode is not null)
        {
            directions.Add(Direction(yaml, directionNode) ?? StudyDirection.Minimize);
        }

        if (metricsNode is not null && yaml.Sequence(metricsNode, "metrics") is { } ms)
        {
            foreach (var m in ms)
            {
                if (yaml.String(m, "a metric name") is { } name)
                {
                    metrics.Add(name);
                }
            }
        }
        else if (metricNode is not null && yaml.String(metricNode, "metric") is { } name)
        {
            metrics.Add(name);
        }

        if (directions.Count == 0)
        {
            directions.Add(StudyDirection.Minimize);
        }

        if (metrics.Count == 0)
        {
            if (directions.Count > 1)
            {
                yaml.Problem(directionsNode!, $"{directions.Count} directions need \"metrics\": one metric name per direction");
            }

            metrics.Add("value");
        }

        if (metrics.Count != directions.Count)
        {
            var node = metricsNode ?? metricNode ?? directionsNode ?? (YamlNode)map;
            yaml.Problem(node, $"there are {metrics.Count} metric(s) but {directions.Count} direction(s); give one direction per metric");
        }

        if (metrics.Distinct(StringComparer.Ordinal).Count() != metrics.Count)
        {
            yaml.Problem(metricsNode!, "metrics must be distinct names");
        }

        return (directions, metrics);
    }

    private static StudyDirection? Direction(YamlContext yaml, YamlNode node)
    {
        switch (yaml.String(node, "direction"))
        {
            case "minimize":
                return StudyDirection.Minimize;
            case "maximize":
                return StudyDirection.Maximize;
            case { } other:
                yaml.Problem(node, $"direction \"{other}\" is unknown; {KeySuggestions.Hint(other, ["minimize", "maximize"])}");
                return null;
            default:
                return null;
        }
    }

    /// <summary>A sampler or pruner: a name alone (<c>sampler: random</c>) or a mapping with <c>name:</c> and options.</summary>
    internal static (string Name, YamlMappingNode? Options) ReadNamed(YamlContext yaml, YamlNode? node, string what, string defaultName)
    {
        switch (node)
        {
            case null:
                return (defaultName, null);
            case YamlScalarNode s when !YamlContext.IsNull(s):
                return (s.Value ?? defaultName, null);
            case YamlMappingNode m:
                var nameNode = YamlContext.Get(m, "name");
                if (nameNode is null)
                {
                    yaml.Problem(m, $"{what} needs \"name\" (e.g. name: {defaultName})");
                    return (defaultName, m);
                }

                return (yaml.String(nameNode, $"{what}.name") ?? defaultName, m);
            default:
                yaml.Problem(node, $"{what} must be a name or a mapping with \"name\" and options; got {YamlContext.Describe(node)}");
                return (defaultName, null);
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex ParameterNamePattern();

    private static List<ParameterSpec> ReadParameters(YamlContext yaml, YamlMappingNode map)
    {
        var result = new List<ParameterSpec>();
        if (YamlContext.Get(map, "parameters") is not { } node || yaml.Mapping(node, "parameters") is not { } parameters)
        {
            return result;
        }

        if (parameters.Children.Count == 0)
        {
            yaml.Problem(parameters, "parameters is empty; give at least one parameter");
        }

        var envNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, spec) in parameters.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || !ParameterNamePattern().IsMatch(name) || name.Length > MaxNameLength)
            {
                yaml.Problem(keyNode, $"parameter name {YamlContext.Describe(keyNode)} is not valid; a name starts with a letter or _, has letters, digits, _, - and . only, and at most {MaxNameLength} characters");
                continue;
            }

            if (Placeholders.BuiltIn.Contains(name))
            {
                yaml.Problem(keyNode, $"parameter \"{name}\" has the name of a built-in placeholder ({string.Join(", ", Placeholders.BuiltIn)}); rename it");
                continue;
            }

            var env = ParameterSpec.EnvironmentNameOf(name);
            if (envNames.TryGetValue(env, out var clash))
            {
                yaml.Problem(keyNode, $"parameters \"{clash}\" and \"{name}\" both become the environment variable {env}; rename one");
            }

            envNames[env] = name;
            if (ReadParameter(yaml, name, spec, result) is { } p)
            {
                result.Add(p);
            }
        }

        return result;
    }

    private static ParameterSpec? ReadParameter(YamlContext yaml, string name, YamlNode spec, List<ParameterSpec> earlier)
    {
        var where = $"parameter \"{name}\"";
        if (spec is YamlSequenceNode shorthand)
        {
            return Categorical(yaml, where, shorthand, name, []);
        }

        if (yaml.Mapping(spec, where) is not { } m)
        {
            return null;
        }

        yaml.CheckKeys(m, where, ParameterKeys);
        var typeNode = YamlContext.Get(m, "type");
        var choicesNode = YamlContext.Get(m, "choices");
        var type = typeNode is not null ? yaml.String(typeNode, $"{where}: type") : choicesNode is not null ? "categorical" : null;
        if (type is null)
        {
            if (typeNode is null)
            {
                yaml.Problem(m, $"{where} needs \"type\": float, int or categorical");
            }

            return null;
        }

        var conditions = YamlContext.Get(m, "when") is { } whenNode ? ReadConditions(yaml, where, whenNode, earlier) : [];
        switch (type)
        {
            case "categorical":
                foreach (var key in new[] { "low", "high", "log", "step" })
                {
                    if (YamlContext.Get(m, key) is { } extra)
                    {
                        yaml.Problem(extra, $"{where}: \"{key}\" is for float and int parameters; a categorical parameter has only \"choices\"");
                    }
                }

                if (choicesNode is null)
                {
                    yaml.Problem(m, $"{where} is categorical and needs \"choices\": a list of values");
                    return null;
                }

                return yaml.Sequence(choicesNode, $"{where}: choices") is null ? null : Categorical(yaml, where, (YamlSequenceNode)choicesNode, name, conditions);

            case "float" or "int":
                if (choicesNode is not null)
                {
                    yaml.Problem(choicesNode, $"{where}: \"choices\" is for categorical parameters; a {type} parameter has low, high, log and step");
                }

                var lowNode = YamlContext.Get(m, "low");
                var highNode = YamlContext.Get(m, "high");
                if (lowNode is null || highNode is null)
                {
                    yaml.Problem(m, $"{where} is {type} and needs \"low\" and \"high\"");
                    return null;
                }

                var log = YamlContext.Get(m, "log") is { } logNode && yaml.Bool(logNode, $"{where}: log") == true;
                var stepNode = YamlContext.Get(m, "step");
                if (type == "float")
                {
                    var low = yaml.Double(lowNode, $"{where}: low");
                    var high = yaml.Double(highNode, $"{where}: high");
                    var step = stepNode is null ? null : yaml.Double(stepNode, $"{where}: step");
                    if (low is null || high is null || (stepNode is not null && step is null))
                    {
                        return null;
                    }

                    if (FloatDistribution.Problem(low.Value, high.Value, log, step) is { } problem)
                    {
                        yaml.Problem(spec, $"{where}: {problem}");
                        return null;
                    }

                    return new ParameterSpec(name, new FloatDistribution(low.Value, high.Value, log, step), conditions);
                }
                else
                {
                    var low = yaml.Int(lowNode, $"{where}: low");
                    var high = yaml.Int(highNode, $"{where}: high");
                    var step = stepNode is null ? 1 : yaml.Int(stepNode, $"{where}: step");
                    if (low is null || high is null || step is null)
                    {
                        return null;
                    }

                    if (IntDistribution.Problem(low.Value, high.Value, log, step.Value) is { } problem)
                    {
                        yaml.Problem(spec, $"{where}: {problem}");
                        return null;
                    }

                    return new ParameterSpec(name, new IntDistribution(low.Value, high.Value, log, step.Value), conditions);
                }

            default:
                yaml.Problem(typeNode!, $"{where}: type \"{type}\" is unknown; {KeySuggestions.Hint(type, ParameterTypes)}");
                return null;
        }
    }

    private static ParameterSpec? Categorical(YamlContext yaml, string where, YamlSequenceNode choicesNode, string name, IReadOnlyList<ParameterCondition> conditions)
    {
        var choices = new List<object?>();
        foreach (var c in choicesNode.Children)
        {
            if (c is YamlScalarNode s)
            {
                choices.Add(YamlContext.Scalar(s));
            }
            else
            {
                yaml.Problem(c, $"{where}: a choice must be a plain value (string, number, true/false or null); got {YamlContext.Describe(c)}");
                return null;
            }
        }

        if (CategoricalDistribution.Problem(choices) is { } problem)
        {
            yaml.Problem(choicesNode, $"{where}: {problem}");
            return null;
        }

        return new ParameterSpec(name, new CategoricalDistribution(choices), conditions);
    }

    private static List<ParameterCondition> ReadConditions(YamlContext yaml, string where, YamlNode node, List<ParameterSpec> earlier)
    {
        var result = new List<ParameterCondition>();
        if (yaml.Mapping(node, $"{where}: when") is not { } m)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in m.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } parent })
            {
                yaml.Problem(keyNode, $"{where}: \"when\" maps parameter names to values");
                continue;
            }

            var parentSpec = earlier.FirstOrDefault(p => p.Name == parent);
            if (parentSpec is null)
            {
                var hint = earlier.Count == 0 ? "no parameter is defined before it" : KeySuggestions.Hint(parent, [.. earlier.Select(p => p.Name)]);
                yaml.Problem(keyNode, $"{where}: \"when\" refers to \"{parent}\", which is not a parameter defined before it; {hint}");
                continue;
            }

            var nodes = valueNode is YamlSequenceNode seq ? seq.Children : (IList<YamlNode>)[valueNode];
            var values = new List<object?>();
            foreach (var v in nodes)
            {
                if (v is not YamlScalarNode s)
                {
                    yaml.Problem(v, $"{where}: a \"when\" value must be a plain value or a list of them");
                    continue;
                }

                var value = YamlContext.Scalar(s);
                if (!ConditionValueFits(parentSpec.Distribution, value))
                {
                    yaml.Problem(v, $"{where}: \"when\" value {YamlContext.Describe(v)} can never be taken by \"{parent}\", which is {parentSpec.Distribution}");
                }

                values.Add(value);
            }

            result.Add(new ParameterCondition(parent, values));
        }

        return result;
    }

    private static bool ConditionValueFits(Distribution d, object? value)
    {
        try
        {
            return d switch
            {
                CategoricalDistribution c => c.IndexOf(value) >= 0,
                _ => value is long or double && d.Contains(d.ToInternal(value)),
            };
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static (IReadOnlyList<string>, string?) ReadCommand(YamlContext yaml, YamlNode? node, bool shell, List<string> parameterNames, YamlMappingNode map)
    {
        if (node is null)
        {
            return ([], null);
        }

        var names = parameterNames.Concat(Placeholders.BuiltIn).ToList();
        void CheckPlaceholders(YamlNode at, string template)
        {
            var used = Placeholders.Names(template, out var error);
            foreach (var name in used)
            {
                if (!names.Contains(name))
                {
                    yaml.Problem(at, $"command: placeholder {{{name}}} is not a parameter; {KeySuggestions.Hint(name, names)} (write {{{{ and }}}} for literal braces)");
                }
            }

            if (error is not null)
            {
                yaml.Problem(at, $"command: {error}");
            }
        }

        if (node is YamlSequenceNode seq)
        {
            if (shell)
            {
                yaml.Problem(node, "with shell: true, command must be one string (the shell command line)");
                return ([], null);
            }

            var argv = new List<string>();
            foreach (var item in seq.Children)
            {
                if (item is YamlScalarNode { Value: { } v })
                {
                    CheckPlaceholders(item, v);
                    argv.Add(v);
                }
                else
                {
                    yaml.Problem(item, $"command: each argument must be a string; got {YamlContext.Describe(item)}");
                }
            }

            if (argv.Count == 0)
            {
                yaml.Problem(node, "command is empty; give the program and its arguments");
            }
            else if (argv[0].Trim().Length == 0)
            {
                yaml.Problem(seq.Children[0], "command: the program (the first argument) is empty; give the program to run, e.g. python3");
            }
            else if (argv[0].Contains('{', StringComparison.Ordinal))
            {
                yaml.Problem(seq.Children[0], "command: the program itself cannot be a placeholder");
            }

            return (argv, null);
        }

        if (node is YamlScalarNode { Value: { } line } && !YamlContext.IsNull(node))
        {
            CheckPlaceholders(node, line);
            if (shell)
            {
                if (line.Trim().Length == 0)
                {
                    yaml.Problem(node, "command is empty; give the shell command line to run");
                }

                return ([], line);
            }

            var words = Placeholders.SplitCommandLine(line, out var error);
            if (words is null)
            {
                yaml.Problem(node, $"command: {error}");
                return ([], null);
            }

            if (words.Count == 0)
            {
                yaml.Problem(node, "command is empty; give the program and its arguments");
            }
            else if (words[0].Trim().Length == 0)
            {
                yaml.Problem(node, "command: the program (the first word) is empty; give the program to run, e.g. python3");
            }
            else if (words[0].Contains('{', StringComparison.Ordinal))
            {
                yaml.Problem(node, "command: the program itself cannot be a placeholder");
            }

            return (words, null);
        }

        yaml.Problem(node, $"command must be a list of arguments or a command line; got {YamlContext.Describe(node)}");
        _ = map;
        return ([], null);
    }

    private static ResultSpec ReadResult(YamlContext yaml, YamlNode? node, IReadOnlyList<string> metrics, List<string> parameterNames)
    {
        if (node is null || yaml.Mapping(node, "result") is not { } m)
        {
            return new ResultSpec();
        }

        yaml.CheckKeys(m, "result", ResultKeys);
        string? file = null;
        if (YamlContext.Get(m, "file") is { } fileNode && yaml.String(fileNode, "result.file") is { } f)
        {
            var names = parameterNames.Concat(Placeholders.BuiltIn).ToList();
            var used = Placeholders.Names(f, out var error);
            foreach (var name in used)
            {
                if (!names.Contains(name))
                {
                    yaml.Problem(fileNode, $"result.file: placeholder {{{name}}} is not a parameter; {KeySuggestions.Hint(name, names)}");
                }
            }

            if (error is not null)
            {
                yaml.Problem(fileNode, $"result.file: {error}");
            }

            file = f;
        }

        List<Regex>? patterns = null;
        if (YamlContext.Get(m, "regex") is { } regexNode)
        {
            patterns = [];
            if (regexNode is YamlScalarNode { Value: { } single } && metrics.Count == 1)
            {
                if (Compile(yaml, regexNode, single) is { } r)
                {
                    patterns.Add(r);
                }
            }
            else if (regexNode is YamlMappingNode byMetric)
            {
                yaml.CheckKeys(byMetric, "result.regex", metrics.ToList());
                foreach (var metric in metrics)
                {
                    if (YamlContext.Get(byMetric, metric) is not { } p)
                    {
                        yaml.Problem(byMetric, $"result.regex has no pattern for metric \"{metric}\"");
                    }
                    else if (yaml.String(p, $"result.regex.{metric}") is { } text && Compile(yaml, p, text) is { } r)
                    {
                        patterns.Add(r);
                    }
                }
            }
            else
            {
                yaml.Problem(regexNode, metrics.Count == 1
                    ? "result.regex must be a regular expression with a group \"value\" (or a first group) that captures the number"
                    : "with several metrics, result.regex must map each metric to its regular expression");
            }
        }

        return new ResultSpec { File = file, Patterns = patterns };
    }

    private static Regex? Compile(YamlContext yaml, YamlNode at, string pattern)
    {
        try
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (regex.GroupNumberFromName("value") < 0 && regex.GetGroupNumbers().Length < 2)
            {
                yaml.Problem(at, $"result.regex \"{pattern}\" has no group; capture the number with (?<value>...) or (...)");
                return null;
            }

            return regex;
        }
        catch (ArgumentException e)
        {
            yaml.Problem(at, $"result.regex \"{pattern}\" is not a valid regular expression: {e.Message}");
            return null;
        }
    }
}
