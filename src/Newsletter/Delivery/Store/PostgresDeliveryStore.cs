using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Npgsql;

namespace Newsletter.Delivery;

/// <summary>
/// <see cref="IDeliveryStore"/> on PostgreSQL: the lease SQL (<see cref="PostgresSenderLeases"/>) and
/// the queue SQL (<see cref="PostgresDeliveryQueue"/>) over one Npgsql data source. Here every
/// instance holds a lease of its own and they send the same issue at once: claims skip the rows
/// another instance has locked (<c>FOR UPDATE SKIP LOCKED</c>), and the rows of an instance whose
/// lease expired go back to the queue for the others.
/// </summary>
public sealed class PostgresDeliveryStore : IDeliveryStore, IAsyncDisposable
{
    private readonly PostgresDb _db;

    public PostgresDeliveryStore(IServiceScopeFactory scopes, TimeProvider clock)
    {
        _db = new PostgresDb(scopes);
        var leases = new PostgresSenderLeases(_db, clock);
        Leases = leases;
        Queue = new PostgresDeliveryQueue(_db, leases, scopes, clock);
        Reads = new DeliveryReads(_db);
        Clock = clock;
    }

    public ISenderLeases Leases { get; }

    public IDeliveryQueue Queue { get; }

    public IDeliveryReads Reads { get; }

    public TimeProvider Clock { get; }

    /// <summary>Several instances send at once here: each takes its share of one rate window in the database.</summary>
    public System.Threading.RateLimiting.RateLimiter? CreateRateLimiter(int perSecond) =>
        perSecond <= 0 ? null : new SharedRateLimiter(_db, perSecond);

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}

/// <summary>Pooled connections to the database EF Core uses (one data source), and parameterised commands on them.</summary>
internal sealed class PostgresDb(IServiceScopeFactory scopes) : StoreDb<NpgsqlConnection>, IAsyncDisposable
{
    public override bool IsPostgres => true;

    private readonly Lock _gate = new();
    private NpgsqlDataSource? _source;

    public override async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            string connectionString;
            await using (var scope = scopes.CreateAsyncScope())
            {
                connectionString = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Database.GetConnectionString()
                    ?? throw new InvalidOperationException("configuration error: ConnectionStrings:Newsletter is required");
            }

            lock (_gate)
            {
                _source ??= NpgsqlDataSource.Create(connectionString);
            }
        }

        return await _source.OpenConnectionAsync(cancellationToken);
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Prepare(connection.CreateCommand(), transaction, sql, parameters);

    public ValueTask DisposeAsync() => _source?.DisposeAsync() ?? ValueTask.CompletedTask;
}
