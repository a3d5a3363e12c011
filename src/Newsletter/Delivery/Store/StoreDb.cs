using System.Data.Common;

namespace Newsletter.Delivery;

/// <summary>
/// What both stores' connection holders share: a parameterised command on an open connection, and
/// one statement run on a connection of its own. Each database says only how a connection is opened.
/// </summary>
internal abstract class StoreDb<TConnection>
    where TConnection : DbConnection
{
    public abstract Task<TConnection> OpenAsync(CancellationToken cancellationToken);

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Prepare(connection.CreateCommand(), null, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Prepare(connection.CreateCommand(), null, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    protected static TCommand Prepare<TCommand>(TCommand command, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
        where TCommand : DbCommand
    {
#pragma warning disable CA2100 // The SQL is the store's own text; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
