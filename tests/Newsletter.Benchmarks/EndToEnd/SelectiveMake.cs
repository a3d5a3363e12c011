using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// Issue 23's goal: making an issue (deliveries and each chooser's ledger rows, in one transaction)
/// for a list of N readers of whom one in <see cref="ChooseEvery"/> chose topics, within 5 s at
/// 1,000,000. Timed in a child process, the product's own IssueMaker, nothing sent.
/// </summary>
internal static class SelectiveMake
{
    public const string ChildName = "selections-make";

    /// <summary>One reader in ten chose: a share well above what lists see, so the figure is not flattered.</summary>
    public const int ChooseEvery = 10;

    public sealed record Result(int Subscribers, double? Seconds, string Note);

    public static async Task<Result> RunAsync(int subscribers, SmtpSink sink, BenchSettings settings)
    {
        await using var database = await TempDatabase.CreateAsync(subscribers, ChooseEvery);
        BenchmarkRun.Progress($"  database with {subscribers:N0} subscribers, 1 in {ChooseEvery} choosing, made in {database.SeedTime.TotalSeconds:0.0} s");
        var cost = await ChildProcess.RunAsync(
            [ChildName, database.Path, sink.Host, $"{sink.Port}", $"{settings.Connections}"], TimeSpan.FromSeconds(600));
        if (cost.Report() is not { } report)
        {
            return new Result(subscribers, null, "not measured: " + cost.Errors.Split('\n').FirstOrDefault());
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM Deliveries), (SELECT COUNT(*) FROM ReaderLedger), (SELECT COUNT(*) FROM ReaderPreferences)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Result(subscribers, report.GetProperty("makeIssueSeconds").GetDouble(), string.Create(CultureInfo.InvariantCulture,
            $"{report.GetProperty("makeIssueCpuSeconds").GetDouble():0.00} CPU s; {reader.GetInt64(0):N0} deliveries, {reader.GetInt64(1):N0} ledger rows for {reader.GetInt64(2):N0} readers who chose"));
    }

    /// <summary>The child: the product's services on the seeded file, the issue made and timed.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var settings = new ProductSettings(args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        await using var product = await ProductSend.StartAsync(settings, CancellationToken.None);
        // CPU seconds beside the wall clock: on a shared machine the wall clock is mostly waiting for a
        // core (a 2,000-reader list took 12 s at load 24), the CPU the make itself spends is not.
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var issue = await product.MakeIssueAsync(CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new { recipients = issue.Recipients, makeIssueSeconds = seconds, makeIssueCpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds }));
        return 0;
    }
}
