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

    public sealed record Result(int Subscribers, double? Seconds, string Note, int History = 0);

    /// <summary>
    /// With <paramref name="history"/> &gt; 0 the list has that many sent issues (<see cref="SelectiveHistory"/>)
    /// and the product makes one more first, in a child of its own: it judges every chooser's whole
    /// history (no marks yet: what the first issue after the upgrade costs, printed too) and writes
    /// their marks; then four new comparisons are published and the issue after it is the one timed.
    /// </summary>
    public static async Task<Result> RunAsync(int subscribers, int history, SmtpSink sink, BenchSettings settings)
    {
        await using var database = await TempDatabase.CreateAsync(subscribers, ChooseEvery);
        BenchmarkRun.Progress($"  database with {subscribers:N0} subscribers, 1 in {ChooseEvery} choosing, made in {database.SeedTime.TotalSeconds:0.0} s");
        var before = "";
        if (history > 0)
        {
            var clock = Stopwatch.StartNew();
            await SelectiveHistory.SeedAsync(database, history, CancellationToken.None);
            BenchmarkRun.Progress($"  {history} earlier issues with the choosers' deliveries and ledger rows, seeded in {clock.Elapsed.TotalSeconds:0.0} s");
            var first = await MakeInChildAsync(database, sink, settings);
            if (first.Report() is not { } made)
            {
                return new Result(subscribers, null, "not measured: the issue before the timed one failed: " + first.Errors.Split('\n').FirstOrDefault(), history);
            }

            before = string.Create(CultureInfo.InvariantCulture,
                $"; the issue before it (no marks yet, every chooser's {history + 1} issues judged): {made.GetProperty("makeIssueSeconds").GetDouble():0.00} s, {made.GetProperty("makeIssueCpuSeconds").GetDouble():0.00} CPU s");
            await SelectiveHistory.PublishNextAsync(database, "next-", CancellationToken.None);
        }

        var cost = await MakeInChildAsync(database, sink, settings);
        if (cost.Report() is not { } report)
        {
            return new Result(subscribers, null, "not measured: " + cost.Errors.Split('\n').FirstOrDefault(), history);
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM Deliveries WHERE IssueId = (SELECT MAX(Id) FROM Issues)),
                   (SELECT COUNT(*) FROM ReaderLedger WHERE IssueId = (SELECT MAX(Id) FROM Issues)),
                   (SELECT COUNT(*) FROM ReaderPreferences),
                   (SELECT COUNT(*) FROM SettledReaders WHERE UpToIssueId = (SELECT MAX(Id) FROM Issues))
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var shape = history > 0 ? $"after {history + 1} issues, " : "";
        return new Result(subscribers, report.GetProperty("makeIssueSeconds").GetDouble(), string.Create(CultureInfo.InvariantCulture,
            $"{report.GetProperty("makeIssueCpuSeconds").GetDouble():0.00} CPU s; {shape}{reader.GetInt64(0):N0} deliveries, {reader.GetInt64(1):N0} ledger rows for {reader.GetInt64(2):N0} readers who chose, {reader.GetInt64(3):N0} of them settled{before}"), history);
    }

    private static Task<ProcessCost> MakeInChildAsync(TempDatabase database, SmtpSink sink, BenchSettings settings) =>
        ChildProcess.RunAsync([ChildName, database.Path, sink.Host, $"{sink.Port}", $"{settings.Connections}"], TimeSpan.FromSeconds(600));

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
