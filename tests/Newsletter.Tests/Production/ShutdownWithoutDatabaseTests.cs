using Newsletter.Tests.Fixtures;
using Npgsql;

namespace Newsletter.Tests.Production;

/// <summary>
/// A stop while PostgreSQL goes away: systemd's SIGTERM and the database's end at the same moment,
/// with the schedule firing every second. The process must end within the host's shutdown timeout
/// (30 s), not wait on the job store's reconnection attempts until systemd kills it.
/// </summary>
public sealed class ShutdownWithoutDatabaseTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("newsletter-cwd-").FullName;
    private readonly string _database = PostgresServer.Shared.CreateDatabase();

    [Fact]
    public async Task ASigtermWhilePostgresVanishesEndsTheProcessWithinTheShutdownTimeout()
    {
        await using var relay = new TcpRelay("127.0.0.1", PostgresServer.Shared.Port);
        var env = PublishedBuild.Environment(_work);
        env["Database__Provider"] = "Postgres";
        env["ConnectionStrings__Newsletter"] = new NpgsqlConnectionStringBuilder(_database) { Port = relay.Port }.ConnectionString;
        env["Digest__Schedule"] = "* * * * * ?";
        env["Digest__SendWhenEmpty"] = "false";
        await using var app = await PublishedInstance.StartAsync(env, _work);
        await app.WaitUntilHealthyAsync();

        // Several fires in, so that the scheduler is at work when the database goes.
        await Task.Delay(TimeSpan.FromSeconds(3));
        relay.Cut();
        PublishedBuild.Terminate(app.Process);

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var ended = await app.Process.WaitForExitAsync(bound.Token).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        Assert.True(ended, "still running 45 s after SIGTERM with the database gone:\n" + app.Log);
    }

    public void Dispose()
    {
        PostgresServer.Shared.DropDatabase(_database);
        Directory.Delete(_work, recursive: true);
    }
}
