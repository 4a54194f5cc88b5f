using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Trials;
using Microsoft.Data.Sqlite;

namespace Hone.Storage.Sqlite.Tests;

/// <summary>
/// A SQLite study on a filesystem that fills up (a 16 MiB tmpfs the test mounts): the write that does not fit fails
/// with an error that says the disk is full and names the database, nothing committed before is lost, the file
/// passes SQLite's integrity check, and once space is freed the study goes on.
/// </summary>
public sealed class SqliteDiskFullTests : IDisposable
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), $"hone-full-{Guid.NewGuid():N}");
    private bool _mounted;

    [DiskFullFact]
    public void DiskFills_ErrorSaysSo_CommittedTrialsKept_FileIntact_StudyContinuesAfterSpaceIsFreed()
    {
        Directory.CreateDirectory(_mount);
        var (code, _, error) = External.Run("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", _mount], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"mount failed: {error}");
        _mounted = true;
        var path = Path.Combine(_mount, "study.db");
        var url = "sqlite:///" + path;

        var recorded = new List<(int Number, double Value)>();
        var filler = Path.Combine(_mount, "filler");
        StorageException? failure = null;
        using (var study = Study.Create(new StudyOptions { Name = "full", StorageUrl = url }))
        {
            study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 20, Callbacks = [(_, t) => recorded.Add((t.Number, t.Value!.Value))] });
            FillUp(filler);
            try
            {
                var payload = new string('x', 16 * 1024);
                study.Optimize(t =>
                {
                    t.SetUserAttr("payload", payload);
                    return t.SuggestFloat("x", 0, 1);
                }, new OptimizeOptions { Trials = 200, Callbacks = [(_, t) => { if (t.State == TrialState.Complete) recorded.Add((t.Number, t.Value!.Value)); }] });
            }
            catch (StorageException e)
            {
                failure = e;
            }
        }

        Assert.NotNull(failure);
        Assert.Contains("full", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(path, failure.Message, StringComparison.Ordinal);
        Assert.Contains("Free space", failure.Message, StringComparison.Ordinal);

        File.Delete(filler);
        AssertIntegrity(path);
        using (var reopened = Study.Load("full", url))
        {
            var trials = reopened.Trials;
            foreach (var (number, value) in recorded)
            {
                Assert.Equal(TrialState.Complete, trials[number].State);
                Assert.Equal(value, trials[number].Value);
            }

            var before = trials.Count(t => t.State == TrialState.Complete);
            reopened.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 5 });
            Assert.Equal(before + 5, reopened.Trials.Count(t => t.State == TrialState.Complete));
        }

        AssertIntegrity(path);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_mounted)
        {
            External.Run("umount", ["-l", _mount], TimeSpan.FromSeconds(30));
        }

        if (Directory.Exists(_mount))
        {
            Directory.Delete(_mount, recursive: true);
        }
    }

    private static void FillUp(string filler)
    {
        using var stream = File.Create(filler);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // the filesystem is full
        }
    }

    private static void AssertIntegrity(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar() as string);
    }
}

/// <summary>
/// A test that mounts a filesystem: it needs root (CAP_SYS_ADMIN). Without it the test is skipped and says why, in
/// CI too: that is a privilege the machine lacks, not a missing package.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DiskFullFactAttribute : FactAttribute
{
    public DiskFullFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux (tmpfs)";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "needs root to mount a small tmpfs (CAP_SYS_ADMIN); run as root to check a full disk";
        }
    }
}
