using System.Data.Common;

namespace Hone.Storage.Relational;

/// <summary>A connection inside one open transaction: makes parameterised commands (never SQL built from values).</summary>
/// <remarks>
/// With a statement cache (SQLite: one connection per storage, used by one thread at a time) commands are kept
/// prepared per SQL text and reused; without one each command is created and disposed.
/// </remarks>
internal sealed class Db(DbConnection connection, DbTransaction? transaction, SqlBackend backend, Dictionary<string, DbCommand>? statements = null)
{
    private string? _prefix;
    private Action<object?>? _onPrefix;
    private List<Queued>? _queued;

    public SqlBackend Backend => backend;

    /// <summary>Whether <see cref="Queue"/> defers statements to send them with the next one (databases on a server), or runs them at once.</summary>
    public bool Batches => statements is null && connection.CanCreateBatch;

    /// <summary>
    /// Runs <paramref name="sql"/> in the same round trip as the next command (where the database takes batches; else
    /// at once), giving its rows, if any, to <paramref name="onRow"/>. A statement that must not write when an earlier
    /// one found something amiss carries the condition in its own SQL: the batch runs every statement, and an error in
    /// any fails the transaction.
    /// </summary>
    public void Queue(string sql, Action<DbDataReader>? onRow, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!Batches)
        {
            if (onRow is null)
            {
                Execute(sql, parameters);
            }
            else
            {
                Read(sql, onRow, parameters);
            }

            return;
        }

        (_queued ??= []).Add(new Queued(sql, parameters.ToArray(), onRow));
    }

    /// <summary>Sends the statements still queued, if any (before a commit).</summary>
    public void Flush()
    {
        if (_queued is { Count: > 0 })
        {
            var last = _queued[^1];
            _queued.RemoveAt(_queued.Count - 1);
            RunBatch(last.Sql, last.Parameters, last.OnRow);
        }
    }

    /// <summary>
    /// Sends <paramref name="sql"/> (one value) in the same round trip as the next command, and gives its value to
    /// <paramref name="onValue"/>: a fact about the transaction learnt at no extra cost.
    /// </summary>
    public void PrependToNext(string sql, Action<object?> onValue)
    {
        if (statements is not null)
        {
            throw new InvalidOperationException("A prefix would change a cached statement's text.");
        }

        _prefix = sql;
        _onPrefix = onValue;
    }

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_queued is { Count: > 0 })
        {
            return RunBatch(sql, parameters, null);
        }

        var command = Command(sql, parameters);
        try
        {
            if (TakePrefix(command) is { } onPrefix)
            {
                using var reader = command.ExecuteReader();
                ReadPrefix(reader, onPrefix);
                reader.Close();
                return reader.RecordsAffected;
            }

            return command.ExecuteNonQuery();
        }
        finally
        {
            Release(command);
        }
    }

    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_queued is { Count: > 0 })
        {
            object? value = null;
            var read = false;
            RunBatch(sql, parameters, r =>
            {
                if (!read)
                {
                    value = r.IsDBNull(0) ? null : r.GetValue(0);
                    read = true;
                }
            });
            return value;
        }

        var command = Command(sql, parameters);
        try
        {
            object? result;
            if (TakePrefix(command) is { } onPrefix)
            {
                using var reader = command.ExecuteReader();
                ReadPrefix(reader, onPrefix);
                result = reader.NextResult() && reader.Read() ? reader.GetValue(0) : null;
            }
            else
            {
                result = command.ExecuteScalar();
            }

            return result is DBNull ? null : result;
        }
        finally
        {
            Release(command);
        }
    }

    /// <summary>Runs a query and calls <paramref name="onRow"/> for each row.</summary>
    public void Read(string sql, Action<DbDataReader> onRow, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_queued is { Count: > 0 })
        {
            RunBatch(sql, parameters, onRow);
            return;
        }

        var command = Command(sql, parameters);
        try
        {
            var onPrefix = TakePrefix(command);
            using var reader = command.ExecuteReader();
            if (onPrefix is not null)
            {
                ReadPrefix(reader, onPrefix);
                if (!reader.NextResult())
                {
                    return;
                }
            }

            while (reader.Read())
            {
                onRow(reader);
            }
        }
        finally
        {
            Release(command);
        }
    }

    /// <summary>
    /// Sends the prefix, the queued statements and this one as one batch (one round trip), handing each row-returning
    /// statement's rows to its reader; returns the rows the last statement affected.
    /// </summary>
    private int RunBatch(string sql, ReadOnlySpan<(string Name, object? Value)> parameters, Action<DbDataReader>? onRow)
    {
        var queued = _queued!;
        _queued = null;
        using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var readers = new List<Action<DbDataReader>>();
        if (_prefix is { } prefix && _onPrefix is { } onPrefix)
        {
            Add(batch, prefix, []);
            readers.Add(r => ReadPrefix(r, onPrefix));
            _prefix = null;
            _onPrefix = null;
        }

        foreach (var q in queued)
        {
            Add(batch, q.Sql, q.Parameters);
            if (q.OnRow is { } each)
            {
                readers.Add(r => ReadAll(r, each));
            }
        }

        Add(batch, sql, parameters);
        if (onRow is not null)
        {
            readers.Add(r => ReadAll(r, onRow));
        }

        backend.CountRoundTrip();
        using (var reader = batch.ExecuteReader())
        {
            // A statement that returns no rows has no columns (where the driver shows it at all); each of the others
            // goes to its reader in order.
            var next = 0;
            do
            {
                if (reader.FieldCount > 0 && next < readers.Count)
                {
                    readers[next++](reader);
                }
            }
            while (reader.NextResult());
        }

        return batch.BatchCommands[^1].RecordsAffected;
    }

    private static void ReadAll(DbDataReader reader, Action<DbDataReader> onRow)
    {
        while (reader.Read())
        {
            onRow(reader);
        }
    }

    private static void Add(DbBatch batch, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = batch.CreateBatchCommand();
#pragma warning disable CA2100 // SQL text is fixed by Hone; every value is a parameter
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        batch.BatchCommands.Add(command);
    }

    private sealed record Queued(string Sql, (string Name, object? Value)[] Parameters, Action<DbDataReader>? OnRow);

    private DbCommand Command(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        DbCommand? command = null;
        if (statements is not null && statements.TryGetValue(sql, out command))
        {
            command.Parameters.Clear();
        }
        else
        {
            command = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is fixed by Hone; every value is a parameter
            command.CommandText = sql;
#pragma warning restore CA2100
            if (statements is not null && statements.Count < 512)
            {
                statements[sql] = command;
            }
        }

        command.Transaction = transaction;
        backend.CountRoundTrip();
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    private Action<object?>? TakePrefix(DbCommand command)
    {
        if (_prefix is null || _onPrefix is not { } onPrefix)
        {
            return null;
        }

#pragma warning disable CA2100 // both parts are Hone's fixed SQL
        command.CommandText = _prefix + ";" + command.CommandText;
#pragma warning restore CA2100
        _prefix = null;
        _onPrefix = null;
        return onPrefix;
    }

    private static void ReadPrefix(DbDataReader reader, Action<object?> onPrefix) =>
        onPrefix(reader.Read() && !reader.IsDBNull(0) ? reader.GetValue(0) : null);

    private void Release(DbCommand command)
    {
        if (statements is null || !statements.TryGetValue(command.CommandText, out var cached) || !ReferenceEquals(cached, command))
        {
            command.Dispose();
        }
    }
}
