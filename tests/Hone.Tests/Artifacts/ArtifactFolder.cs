using Hone.Artifacts;
using Hone.Storage;
using Hone.Studies;

namespace Hone.Tests.Artifacts;

/// <summary>A temporary artifact folder and in-memory studies that keep their checkpoints in it.</summary>
internal sealed class ArtifactFolder : IDisposable
{
    public ArtifactFolder()
    {
        Root = Directory.CreateTempSubdirectory("hone-artifacts-").FullName;
        Store = new FileSystemArtifactStore(Root);
    }

    public string Root { get; }

    public FileSystemArtifactStore Store { get; }

    public InMemoryStorage Storage { get; } = new();

    public Study NewStudy(string name = "s", StudyDirection direction = StudyDirection.Minimize, Hone.Samplers.ISampler? sampler = null) => Study.Create(new StudyOptions
    {
        Name = name,
        Storage = Storage,
        ArtifactStore = Store,
        LoadIfExists = true,
        Direction = direction,
        Sampler = sampler ?? new Hone.Samplers.RandomSampler(1),
    });

    public string PathOf(string artifactId) => Path.Combine(Root, artifactId);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
