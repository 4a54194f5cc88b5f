using System.CommandLine;
using Hone.Cli.Output;
using Hone.Cli.Sweep;
using Hone.Storage;
using Hone.Studies;

namespace Hone.Cli.Commands;

/// <summary>
/// The options that say which storage and study a command works on: <c>--storage</c> and <c>--study-name</c>,
/// or <c>--sweep</c> to take both from a sweep file. Without them: <c>$HONE_STORAGE</c>, else
/// <c>sqlite:///hone.db</c> in the current folder, and the storage's only study.
/// </summary>
/// <remarks>
/// Every command that works on an existing study opens the storage with <see cref="OpenExisting"/>, which
/// refuses a SQLite file that does not exist: opening it would create an empty database (a typo in
/// <c>--storage</c> would leave a stray file and list no studies).
/// </remarks>
internal sealed class StudyTarget
{
    public Option<string?> Storage { get; } = new("--storage") { Description = "Storage URL, e.g. sqlite:///hone.db (default: $HONE_STORAGE, else sqlite:///hone.db)." };

    public Option<string?> StudyName { get; } = new("--study-name", "--study") { Description = "The study's name (default: the storage's only study)." };

    public Option<string?> Sweep { get; } = new("--sweep", "-f") { Description = "Take the storage and study name from this sweep file." };

    public void AddTo(Command command, bool withStudy = true)
    {
        command.Add(Storage);
        if (withStudy)
        {
            command.Add(StudyName);
        }

        command.Add(Sweep);
    }

    public string StorageUrl(ParseResult parse) => Resolve(parse).Url;

    /// <summary>The storage URL for messages (password masked).</summary>
    public string DisplayUrl(ParseResult parse) => StorageFactory.Display(StorageUrl(parse));

    /// <summary>Opens the storage, creating it if needed (for <c>create-study</c>).</summary>
    public IStorage OpenStorage(ParseResult parse)
    {
        var (url, _, label) = Resolve(parse);
        return Open(url, label);
    }

    /// <summary>Opens a storage that must already exist; a missing SQLite file is an error that lists the databases nearby.</summary>
    public IStorage OpenExisting(ParseResult parse)
    {
        var (url, origin, label) = Resolve(parse);
        if (SqliteFile(url) is { } path && !File.Exists(path))
        {
            var sweepFolder = parse.GetValue(Sweep) is { } sweepPath ? Path.GetDirectoryName(Path.GetFullPath(sweepPath)) : null;
            throw new NotFoundException($"there is no database file {path} ({origin}). " + NearbyDatabases.Describe(path, sweepFolder));
        }

        return Open(url, label);
    }

    /// <summary>Whether the study's name comes from neither <c>--study-name</c> nor a sweep file.</summary>
    public bool NameIsInferred(ParseResult parse) => parse.GetValue(StudyName) is null && parse.GetValue(Sweep) is null;

    /// <summary>The study's name: given, from the sweep file, or the storage's only study.</summary>
    public string Name(ParseResult parse, IStorage storage)
    {
        if (parse.GetValue(StudyName) is { } name)
        {
            return name;
        }

        if (parse.GetValue(Sweep) is { } sweepPath)
        {
            return OptimizeCommands.Load(sweepPath, null).StudyName;
        }

        var all = storage.GetAllStudies();
        return all.Count switch
        {
            1 => all[0].Name,
            0 => throw new NotFoundException($"the storage {DisplayUrl(parse)} has no study yet; create one with 'hone optimize SWEEP.yaml' or 'hone create-study --study-name NAME'"),
            _ => throw new UsageException($"the storage has {all.Count} studies; choose one with --study-name: {string.Join(", ", all.Select(s => s.Name))}"),
        };
    }

    public Study Load(ParseResult parse, Samplers.ISampler? sampler = null) => Load(parse, OpenExisting(parse), sampler);

    /// <summary>The study named by the command line, in a storage already opened with <see cref="OpenExisting"/>.</summary>
    public Study Load(ParseResult parse, IStorage storage, Samplers.ISampler? sampler = null)
    {
        var name = Name(parse, storage);
        if (storage.FindStudy(name) is null)
        {
            var names = storage.GetAllStudies().Select(s => s.Name).ToList();
            var hint = names.Count == 0 ? "the storage has no study" : KeySuggestions.Hint(name, names);
            throw new NotFoundException($"no study named \"{name}\" in {DisplayUrl(parse)}; {hint}");
        }

        return Study.Load(new StudyOptions { Name = name, Storage = storage, Sampler = sampler });
    }

    /// <summary>The path of a SQLite URL's file, or null for other storages and in-memory SQLite.</summary>
    public static string? SqliteFile(string url)
    {
        Hone.Storage.StorageUrl parsed;
        try
        {
            parsed = Hone.Storage.StorageUrl.Parse(url);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (parsed.Scheme != "sqlite")
        {
            return null;
        }

        var path = parsed.SqlitePath();
        return path.Length == 0 || path == ":memory:" || path.StartsWith("file:", StringComparison.Ordinal) ? null : Path.GetFullPath(path);
    }

    private static IStorage Open(string url, string label)
    {
        try
        {
            return StorageFactory.Open(url);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{label}: {Messages.Of(e)}", e);
        }
    }

    /// <summary>The storage URL, where it came from (for "not found" messages) and the name of its source (for "invalid" messages).</summary>
    private (string Url, string Origin, string Label) Resolve(ParseResult parse)
    {
        if (parse.GetValue(Storage) is { } url)
        {
            return (SweepReader.ResolveStorage(url, Environment.CurrentDirectory), $"from --storage {StorageFactory.Display(url)}", "--storage");
        }

        if (parse.GetValue(Sweep) is { } sweepPath)
        {
            return (OptimizeCommands.Load(sweepPath, null).Storage, $"the storage of the sweep file {sweepPath}", $"{sweepPath}: storage");
        }

        if (Environment.GetEnvironmentVariable("HONE_STORAGE") is { Length: > 0 } env)
        {
            return (SweepReader.ResolveStorage(env, Environment.CurrentDirectory), $"from $HONE_STORAGE={StorageFactory.Display(env)}", "$HONE_STORAGE");
        }

        return (SweepReader.ResolveStorage(SweepReader.DefaultStorage, Environment.CurrentDirectory),
            $"the default storage {SweepReader.DefaultStorage}, in the current folder", "the default storage");
    }
}
