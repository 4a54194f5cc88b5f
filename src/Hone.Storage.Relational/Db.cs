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

    public SqlBackend Backend => backend;

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
