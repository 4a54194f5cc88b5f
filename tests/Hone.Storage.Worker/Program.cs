// Usage: Hone.Storage.Worker URL STUDY TRIALS [key=value ...]
//   sleep-ms=N      the objective sleeps N ms (default 0)
//   heartbeat-ms=N  heartbeat interval (default none); grace-ms=N grace period; retries=N retry policy
//   hang=1          the objective of this worker's first trial never returns (for kill tests)
//   die-after-ask=1 asks one trial, prints "asked N" and kills itself at once (SIGKILL), before any later heartbeat
//   parallelism=N   trials at once in this process (default 1)
//   async=1         the objective is async and stops when its token is cancelled
//   no-dispose=1    never disposes the study (the process-exit hook must close the storage)
//   report=1        prints "finished N STATE" after each trial is recorded (for fault-injection tests)
//   pbt=N           population-based training of a toy model, population N, TRIALS generations of 3 steps each
//                   (maximize); prints "done TRIALS" when the population is trained
//   pb2=1           with pbt=N, PB2's explore instead of perturbation
//   kill-mid-save=1 asks one trial, saves a checkpoint at step 1 ("good"), prints "saved N", then kills itself
//                   (SIGKILL) halfway through saving a second one at step 2
// Creates the study if absent (LoadIfExists), runs TRIALS trials with a random sampler, disposes the study (closing
// the storage), prints "done N" and exits 0.
using System.Diagnostics;
using System.Globalization;
using Hone.Artifacts;
using Hone.Population;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

var url = args[0];
var studyName = args[1];
var trials = int.Parse(args[2], CultureInfo.InvariantCulture);
var options = args.Skip(3).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
int? Opt(string key) => options.TryGetValue(key, out var v) ? v : null;

var study = Study.Create(new StudyOptions
{
    Direction = Opt("pbt") is null ? null : StudyDirection.Maximize,
    Name = studyName,
    StorageUrl = url,
    LoadIfExists = true,
    Sampler = new RandomSampler(Environment.ProcessId),
    HeartbeatInterval = Opt("heartbeat-ms") is { } hb ? TimeSpan.FromMilliseconds(hb) : null,
    GracePeriod = Opt("grace-ms") is { } g ? TimeSpan.FromMilliseconds(g) : null,
    RetryFailedTrials = Opt("retries") is { } r ? new TrialRetryPolicy { MaxRetries = r } : null,
});

if (Opt("die-after-ask") == 1)
{
    var asked = study.Ask();
    Console.WriteLine($"asked {asked.Number}");
    Console.Out.Flush();
    Process.GetCurrentProcess().Kill();
    Thread.Sleep(Timeout.Infinite);
}

if (Opt("kill-mid-save") == 1)
{
    var asked = study.Ask();
    asked.SaveCheckpoint(1, new MemoryStream("good"u8.ToArray()));
    Console.WriteLine($"saved {asked.Number}");
    Console.Out.Flush();
    asked.SaveCheckpoint(2, new KillingStream(1 << 20));
    Thread.Sleep(Timeout.Infinite);
}

var sleep = Opt("sleep-ms") ?? 0;
var hang = Opt("hang") == 1;
var first = 1;
if (Opt("pbt") is { } population)
{
    var pbt = new PopulationBasedTraining(new PbtOptions
    {
        PopulationSize = population, Interval = 3, Generations = trials, Seed = Environment.ProcessId,
        Explore = Opt("pb2") == 1 ? PbtExploreMethod.Pb2 : PbtExploreMethod.Perturb,
    });
    pbt.Run(study, segment =>
    {
        var lr = segment.Trial.SuggestFloat("lr", 0.01, 0.5, log: true);
        if (hang && Interlocked.Exchange(ref first, 0) == 1)
        {
            Console.WriteLine($"hanging {segment.Trial.Number}");
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        }

        var w = segment.LoadCheckpoint() is { } c ? BitConverter.ToDouble(c.Data.Span) : 0.0;
        for (var step = segment.StartStep; step < segment.EndStep; step++)
        {
            w += lr * (1 - w);
        }

        Thread.Sleep(sleep);
        segment.SaveCheckpoint(new MemoryStream(BitConverter.GetBytes(w)));
        return w;
    }, Opt("parallelism") ?? 1);
    study.Dispose();
    Console.WriteLine($"done {trials}");
    return;
}

double Evaluate(Trial trial)
{
    var x = trial.SuggestFloat("x", -10, 10);
    var y = trial.SuggestInt("y", 0, 10);
    var c = trial.SuggestCategorical("c", ["a", "b"]);
    if (hang && Interlocked.Exchange(ref first, 0) == 1)
    {
        Console.WriteLine($"hanging {trial.Number}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    return x * x + y + ((string?)c == "a" ? 0 : 1);
}

var optimize = new OptimizeOptions
{
    Trials = trials,
    Parallelism = Opt("parallelism") ?? 1,
    Callbacks = Opt("report") == 1 ? [(_, t) => Console.WriteLine($"finished {t.Number} {t.State}")] : [],
};
if (Opt("async") == 1)
{
    await study.OptimizeAsync(async (trial, ct) =>
    {
        var value = Evaluate(trial);
        await Task.Delay(sleep, ct);
        return value;
    }, optimize);
}
else
{
    study.Optimize(trial =>
    {
        var value = Evaluate(trial);
        if (sleep > 0)
        {
            Thread.Sleep(sleep);
        }

        return value;
    }, optimize);
}

if (Opt("no-dispose") != 1)
{
    study.Dispose();
}

Console.WriteLine($"done {trials}");

/// <summary>A checkpoint source that kills its own process (SIGKILL) once it has handed out half of its bytes.</summary>
internal sealed class KillingStream(int length) : Stream
{
    private int _given;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _given; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_given >= length / 2)
        {
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }

        var n = Math.Min(count, length - _given);
        Array.Fill(buffer, (byte)7, offset, n);
        _given += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
