using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;
using Newsletter.Composition;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using Npgsql;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// Ours on PostgreSQL, one instance against two sharing the send: a fresh database per row with N
/// confirmed subscribers, the issue made in one child process, then 1 or 2 measured child processes
/// that each run the product's engine on that issue at once. The rate is the issue's own clock
/// (started to completed, in the database); CPU is the sum over the instances, so CPU per 1,000 mails
/// says what a second instance costs or saves (on two cores, expect no speed-up).
/// </summary>
internal static class ClusterRun
{
    public const string MakeChild = "cluster-make";
    public const string SendChild = "cluster-send";

    public static async Task<List<Measurement>> RunAsync(int subscribers, SmtpSink sink, BenchSettings settings)
    {
        var rows = new List<Measurement>();
        foreach (var instances in new[] { 1, 2 })
        {
            BenchmarkRun.Progress($"ours on PostgreSQL, {instances} instance(s), N={subscribers:N0} …");
            rows.Add(await RunOnceAsync(subscribers, instances, sink, settings));
        }

        return rows;
    }

    private static async Task<Measurement> RunOnceAsync(int subscribers, int instances, SmtpSink sink, BenchSettings settings)
    {
        var name = $"ours on PostgreSQL, {instances} instance{(instances == 1 ? "" : "s")}, N={subscribers:N0}";
        var connectionString = PostgresServer.Shared.CreateDatabase();
        try
        {
            await SeedAsync(connectionString, subscribers);
            var timeout = TimeSpan.FromSeconds(Math.Max(300, subscribers / 100.0));
            var made = await ChildProcess.RunAsync([MakeChild, connectionString, sink.Host, $"{sink.Port}", $"{settings.Connections}"], timeout);
            if (made.Report() is not { } issue)
            {
                return Measurement.Missing(name, "the issue was not made: " + made.Errors.Split('\n').FirstOrDefault());
            }

            var issueId = issue.GetProperty("issueId").GetInt64().ToString(CultureInfo.InvariantCulture);
            var senders = Enumerable.Range(0, instances).Select(_ => ChildProcess.RunAsync(
                [SendChild, connectionString, sink.Host, $"{sink.Port}", $"{settings.Connections}", issueId], timeout)).ToList();
            var costs = await Task.WhenAll(senders);
            if (costs.FirstOrDefault(c => c.ExitCode != 0) is { } failed)
            {
                return Measurement.Missing(name, $"an instance failed (exit {failed.ExitCode}): {failed.Errors.Split('\n').FirstOrDefault()}");
            }

            var (sent, seconds) = await OutcomeAsync(connectionString);
            var note = $"CPU: sum of {instances} process{(instances == 1 ? "" : "es")}, RSS: the largest; {sent:N0} rows Sent"
                + (sent == subscribers ? "" : $" (expected {subscribers:N0})");
            return new Measurement(name, subscribers, seconds, costs.Sum(c => c.CpuSeconds), costs.Max(c => c.PeakRssBytes), note);
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(connectionString);
        }
    }

    /// <summary>The child that makes the issue (the recipient snapshot) and prints its id.</summary>
    public static async Task<int> RunMakeChildAsync(string[] args)
    {
        await using var app = Host(args);
        var made = await app.Services.GetRequiredService<IssueMaker>().MakeAsync($"benchmark-{Guid.NewGuid():N}", CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new { issueId = made.Issue?.Id ?? 0, recipients = made.Recipients }));
        return made.Issue is null ? 1 : 0;
    }

    /// <summary>One instance: the product's engine sends the issue with the others until it is sent.</summary>
    public static async Task<int> RunSendChildAsync(string[] args)
    {
        await using var app = Host(args);
        var clock = Stopwatch.StartNew();
        var progress = await app.Services.GetRequiredService<DeliveryEngine>().SendIssueAsync(long.Parse(args[4], CultureInfo.InvariantCulture), CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new { mails = progress.Total, seconds = clock.Elapsed.TotalSeconds }));
        return 0;
    }

    /// <summary>The product's services on the PostgreSQL database (built, not started: no schedule, no background engine).</summary>
    private static WebApplication Host(string[] args)
    {
        var builder = NewsletterHostBuilder.Create(["send-now"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Newsletter"] = args[0],
            ["Smtp:Host"] = args[1],
            ["Smtp:Port"] = args[2],
            ["Smtp:Security"] = "None",
            ["Smtp:Connections"] = args[3],
            ["Smtp:MaxMessagesPerSecond"] = "0",
            ["Digest:SendWhenEmpty"] = "true",
            ["Newsletter:PublicBaseUrl"] = "https://verdicts.example.com",
            ["Newsletter:From"] = SampleMessage.ProductFrom,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddNewsletter();
        return builder.Build();
    }

    /// <summary>The product's schema (its PostgreSQL migrations), the sample comparisons and N confirmed subscribers in one INSERT.</summary>
    private static async Task SeedAsync(string connectionString, int subscribers)
    {
        await using (var db = new PostgresNewsletterDbContext(new DbContextOptionsBuilder<PostgresNewsletterDbContext>().UseNpgsql(connectionString).Options))
        {
            await DatabaseMigrator.MigrateAsync(db, CancellationToken.None);
            await TempDatabase.ImportComparisonsAsync(db, CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO subscribers (email, emailkey, name, status, createdat, consentat, consentsource, confirmedat, unsubscribetoken,
                                     softbouncecount, confirmationmailattempts)
            SELECT 'reader' || i || '@bench.example', 'reader' || i || '@bench.example', 'Reader ' || i, 'Confirmed',
                   @now, @now, 'benchmark', @now, md5(random()::text || i), 0, 0
            FROM generate_series(1, @count) AS i
            """, connection);
        command.Parameters.AddWithValue("count", subscribers);
        command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows Sent, and the issue's own send time: from its start to its completion.</summary>
    private static async Task<(long Sent, double Seconds)> OutcomeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT COUNT(*) FROM deliveries WHERE status = 'Sent'),
                   (SELECT (completedat - startedat) / 1000.0 FROM issues WHERE completedat IS NOT NULL ORDER BY id DESC LIMIT 1)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? double.NaN : (double)reader.GetDecimal(1));
    }
}
