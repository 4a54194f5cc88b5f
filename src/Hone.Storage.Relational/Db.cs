using System.Data.Common;

namespace Hone.Storage.Relational;

/// <summary>A connection inside one open transaction: makes parameterised commands (never SQL built from values).</summary>
internal sealed class Db(DbConnection connection, DbTransaction transaction, SqlBackend backend)
{
    public SqlBackend Backend => backend;

    public DbCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
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

        return command;
    }

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Command(sql, parameters);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    /// <summary>Runs a query and calls <paramref name="onRow"/> for each row.</summary>
    public void Read(string sql, Action<DbDataReader> onRow, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            onRow(reader);
        }
    }
}
