namespace Hone.Artifacts;

/// <summary>A loaded checkpoint whose checksum was verified: its bytes, the step it was taken at and the trial that saved it.</summary>
public sealed class Checkpoint
{
    internal Checkpoint(int trialNumber, CheckpointRecord record, byte[] data)
    {
        TrialNumber = trialNumber;
        Record = record;
        Data = data;
    }

    /// <summary>The trial that saved the checkpoint.</summary>
    public int TrialNumber { get; }

    /// <summary>The training step the checkpoint was taken at.</summary>
    public int Step => Record.Step;

    /// <summary>The stored metadata.</summary>
    public CheckpointRecord Record { get; }

    /// <summary>The verified bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The bytes as a read-only stream.</summary>
    public Stream OpenRead() => new MemoryStream(Data.ToArray(), writable: false);

    /// <summary>Writes the bytes to a file (atomically: a temporary file renamed over <paramref name="path"/>).</summary>
    public void WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temp = full + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, Data.ToArray());
        File.Move(temp, full, overwrite: true);
    }

    /// <inheritdoc/>
    public override string ToString() => $"checkpoint of trial #{TrialNumber} at step {Step} ({Record.Size} bytes)";
}
