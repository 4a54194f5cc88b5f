using System.CommandLine;
using Hone.Cli.Sweep;
using Hone.Storage;
using Hone.Studies;

namespace Hone.Cli.Commands;

/// <summary>
/// The options that say which storage and study a command works on: <c>--storage</c> and <c>--study-name</c>,
/// or <c>--sweep</c> to take both from a sweep file. Without them: <c>$HONE_STORAGE</c>, else
/// <c>sqlite:///hone.db</c> in the current folder, and the storage's only study.
/// </summary>
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

    public string StorageUrl(ParseResult parse)
    {
        if (parse.GetValue(Storage) is { } url)
        {
            return SweepReader.ResolveStorage(url, Environment.CurrentDirectory);
        }

        if (parse.GetValue(Sweep) is { } sweepPath)
        {
            return OptimizeCommands.Load(sweepPath, null).Storage;
        }

        return SweepReader.ResolveStorage(Environment.GetEnvironmentVariable("HONE_STORAGE") ?? SweepReader.DefaultStorage, Environment.CurrentDirectory);
    }

    public IStorage OpenStorage(ParseResult parse) => StorageFactory.Open(StorageUrl(parse));

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
            0 => throw new UsageException($"the storage {StorageUrl(parse)} has no study"),
            _ => throw new UsageException($"the storage has {all.Count} studies; choose one with --study-name: {string.Join(", ", all.Select(s => s.Name))}"),
        };
    }

    public Study Load(ParseResult parse, Samplers.ISampler? sampler = null)
    {
        var storage = OpenStorage(parse);
        var name = Name(parse, storage);
        if (storage.FindStudy(name) is null)
        {
            var names = storage.GetAllStudies().Select(s => s.Name).ToList();
            var hint = names.Count == 0 ? "the storage has no study" : KeySuggestions.Hint(name, names);
            throw new StudyNotFoundException($"no study named \"{name}\" in {StorageUrl(parse)}; {hint}");
        }

        return Study.Load(new StudyOptions { Name = name, Storage = storage, Sampler = sampler });
    }
}
