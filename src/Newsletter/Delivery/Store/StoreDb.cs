using System.Data.Common;

namespace Newsletter.Delivery;

/// <summary>
/// What both stores' connection holders share: a parameterised command on an open connection, and
/// one statement run on a connection of its own. Each database says only how a connection is opened
/// and which dialect it speaks (<see cref="Data.SqlDialect"/>). Parameters are named without a
/// prefix and written <c>@name</c> in the SQL, which both providers read.
/// </summary>
internal abstract class StoreDb
{
    /// <summary>PostgreSQL (else SQLite): for the few fragments <see cref="Data.SqlDialect"/> writes per database.</summary>
    public abstract bool IsPostgres { get; }

    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Prepare(connection.CreateCommand(), null, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Prepare(connection.CreateCommand(), null, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Reads every row of one query on a connection of its own.</summary>
    public async Task ReadAsync(string sql, Action<DbDataReader> row, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Prepare(connection.CreateCommand(), null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }

    /// <summary>A parameterised command on an open connection, in <paramref name="transaction"/> if given.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Prepare(connection.CreateCommand(), transaction, sql, parameters);

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

/// <summary>A store's connection holder on one provider: its connections typed, for the SQL that differs.</summary>
internal abstract class StoreDb<TConnection> : StoreDb
    where TConnection : DbConnection
{
    public abstract Task<TConnection> OpenAsync(CancellationToken cancellationToken);

    public sealed override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);
}
