using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// Makes the app's database refuse every write while <see cref="On"/> is set, the way a read-only
/// file does: SQLite's own query_only pragma on each connection the app opens, so the app meets a
/// real SQLITE_READONLY ("attempt to write a readonly database"). Works as root, where file
/// permissions do not.
/// </summary>
public sealed class ReadOnlySwitch : DbConnectionInterceptor
{
    public bool On { get; set; }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = On ? "PRAGMA query_only = 1;" : "PRAGMA query_only = 0;";
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = On ? "PRAGMA query_only = 1;" : "PRAGMA query_only = 0;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// The app with a database that can be made to refuse writes: on SQLite a <see cref="ReadOnlySwitch"/>
/// on its connections, on PostgreSQL the server's own default_transaction_read_only (see
/// <see cref="PostgresServer.SetReadOnly"/>). Both reach the app's DbContext, where readers' writes go.
/// </summary>
public sealed class ReadOnlyDatabaseApp(DatabaseProvider provider = DatabaseProvider.Sqlite)
    : NewsletterApp(new Dictionary<string, string?> { ["Subscribers:SignupsPerMinutePerIp"] = "100000" }, provider)
{
    private readonly ReadOnlySwitch _switch = new();

    /// <summary>Turns refusing writes on or off.</summary>
    public void SetReadOnly(bool on)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            PostgresServer.Shared.SetReadOnly(ConnectionString, on);
        }
        else
        {
            _switch.On = on;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (Provider == DatabaseProvider.Sqlite)
        {
            builder.ConfigureTestServices(services => services.ConfigureDbContext<NewsletterDbContext>(o => o.AddInterceptors(_switch)));
        }
    }
}
