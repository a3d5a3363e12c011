using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>
/// <see cref="IDeliveryStore"/> on SQLite: the lease SQL (<see cref="SqliteSenderLeases"/>), the
/// queue SQL (<see cref="SqliteDeliveryQueue"/>) and the shared reads (<see cref="DeliveryReads"/>) over one pooled connection string. One engine sends
/// at a time here: SQLite has a single writer, so more would only queue for its lock.
/// </summary>
public sealed class SqliteDeliveryStore : IDeliveryStore
{
    public SqliteDeliveryStore(IServiceScopeFactory scopes, TimeProvider clock)
    {
        var db = new SqliteDb(scopes);
        var leases = new SqliteSenderLeases(db, clock);
        Leases = leases;
        Queue = new SqliteDeliveryQueue(db, leases, scopes, clock);
        Reads = new DeliveryReads(db);
        Clock = clock;
    }

    public ISenderLeases Leases { get; }

    public IDeliveryQueue Queue { get; }

    public IDeliveryReads Reads { get; }

    public TimeProvider Clock { get; }

    /// <summary>One engine sends at a time here: its own token bucket is the whole database's limit.</summary>
    public System.Threading.RateLimiting.RateLimiter? CreateRateLimiter(int perSecond) => SendWorker.CreateLimiter(perSecond);
}

/// <summary>Pooled connections to the file EF Core uses, and parameterised commands on them.</summary>
internal sealed class SqliteDb(IServiceScopeFactory scopes) : StoreDb<SqliteConnection>
{
    public override bool IsPostgres => false;

    private string? _connectionString;

    public override async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connectionString is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            _connectionString = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Database.GetConnectionString();
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await SqlitePragmas.ApplyAsync(connection, cancellationToken);
        return connection;
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Prepare(connection.CreateCommand(), transaction, sql, parameters);
}
