using System.Data.Common;

namespace Hone.Storage.Relational;

/// <summary>A connection inside one open transaction: makes parameterised commands (never SQL built from values).</summary>
/// <remarks>
/// With a statement cache (SQLite: one connection per storage, used by one thread at a time) commands are kept
/// prepared per SQL text and reused; without one each command is created and disposed.
/// </remarks>
internal sealed class Db(DbConnection connection, DbTransaction? transaction, SqlBackend backend, Dictionary<string, DbCommand>? statements = null)
{
    public SqlBackend Backend => backend;

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Command(sql, parameters);
        try
        {
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
            var result = command.ExecuteScalar();
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
            using var reader = command.ExecuteReader();
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

    private void Release(DbCommand command)
    {
        if (statements is null || !statements.TryGetValue(command.CommandText, out var cached) || !ReferenceEquals(cached, command))
        {
            command.Dispose();
        }
    }
}
