using System.Globalization;
using System.Text.RegularExpressions;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Digests;

/// <summary>
/// A subject test sent by `send-now` as an operator runs it, killed with SIGKILL mid-sample and again
/// mid-rest, and run again each time. Read from smtp-sink's files: nobody in the rest got a mail
/// before the winner was named, every reader got the issue, each mail carries its variant's subject
/// (the rest: the winner's), and only mails on the wire at a kill went twice.
/// </summary>
public partial class SubjectTestKillTests : IDisposable
{
    private const int Readers = 300;
    private const int Connections = 4;

    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-subject-kill-").FullName;
    private TestDatabase? _database;

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private TestDatabase Database => _database ??= new TestDatabase(Provider, _folder);

    [Fact]
    public async Task KillsMidSampleAndMidRestLoseNobodyAndTheRestWaitsForTheWinner()
    {
        var env = Database.Environment();
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Security"] = "None";
        env["Smtp__Connections"] = Connections.ToString(CultureInfo.InvariantCulture);
        env["Delivery__BatchSize"] = "5";
        env["Delivery__LeaseDuration"] = "00:00:03";
        env["Delivery__ProgressInterval"] = "00:00:01";

        // 40% of 300: 60 readers per subject, 180 wait. The wait starts with the sample's sending and
        // is longer than the sample takes on any machine; the test ends it when the sample is out.
        env["Digest__SubjectTestShare"] = "0.4";
        env["Digest__SubjectTestMinimum"] = "20";
        env["Digest__SubjectTestWait"] = "00:10:00";
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], env)).ExitCode);
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "comparisons")).FullName;
        File.WriteAllText(Path.Combine(folder, "kill-verdict.json"),
            SampleComparisons.With("kill-verdict", DateTimeOffset.UtcNow.AddDays(-1), "Kill verdict").ToJsonString());
        Assert.Equal(0, (await CliProcess.RunAsync(["import", folder], env)).ExitCode);
        var readers = await AddReadersAsync(Database, Readers);
        await using (var connection = await OpenAsync(Database))
        await using (var draft = Command(connection, "UPDATE DigestDrafts SET Subject = 'First {number}', SecondSubject = 'Second {number}', Version = Version + 1"))
        {
            Assert.Equal(1, await draft.ExecuteNonQueryAsync());
        }

        // Killed mid-sample (each DATA answered after a second: about four mails a second).
        var beforeFirstKill = await KilledAsync(env, "-w", "1", killAt: 30);

        // Run again: the sample goes on; send-now returns once it is out, the rest waiting.
        await using (var sample = await SmtpSink.StartAsync())
        {
            env["Smtp__Port"] = sample.Port.ToString(CultureInfo.InvariantCulture);
            var resumed = await CliProcess.RunAsync(["send-now"], env, TimeSpan.FromSeconds(120));
            Assert.True(resumed.ExitCode == 0, resumed.Stderr);
            Assert.Contains("the rest waits for the winner", resumed.Stdout, StringComparison.Ordinal);
            await sample.StopAsync();
            beforeFirstKill.AddRange(sample.Messages());
        }

        var variants = await VariantsAsync(readers);
        Assert.Equal((60, 60, 180), (variants.Count(v => v.Value == "A"), variants.Count(v => v.Value == "B"), variants.Count(v => v.Value == "R")));
        Assert.DoesNotContain(beforeFirstKill, m => variants[Recipient(m)] == "R");
        Assert.Equal(0, await ScalarAsync<int>(Database, "SELECT COUNT(*) FROM Issues WHERE SubjectWinner IS NOT NULL OR Status = 'Sent'"));

        // The wait's end brought forward to now, as the clock passing it would (the timer itself is
        // SubjectTestSendTests'; here sleeping through the wait would be dead time).
        await using (var connection = await OpenAsync(Database))
        await using (var ended = Command(connection, "UPDATE Issues SET SubjectTestEndsAt = @now, ResumeAt = @now WHERE Status = 'Paused' AND SubjectWinner IS NULL",
            ("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())))
        {
            Assert.Equal(1, await ended.ExecuteNonQueryAsync());
        }

        // After the wait: the next send-now names the winner (no answers: the first subject stays) and sends the rest; killed mid-rest.
        var rest = await KilledAsync(env, "-w", "1", killAt: 120 + 30);
        Assert.Equal("A", await ScalarAsync<string>(Database, "SELECT SubjectWinner FROM Issues"));

        await using (var last = await SmtpSink.StartAsync())
        {
            env["Smtp__Port"] = last.Port.ToString(CultureInfo.InvariantCulture);
            var done = await CliProcess.RunAsync(["send-now"], env, TimeSpan.FromSeconds(120));
            Assert.True(done.ExitCode == 0, done.Stderr);
            Assert.Contains($"Issue #1 sent: {Readers} sent, 0 failed, 0 skipped", done.Stdout, StringComparison.Ordinal);
            await last.StopAsync();
            rest.AddRange(last.Messages());
        }

        // Everyone got the issue, once but for the mails on the wire at the two kills, each with its variant's subject.
        var all = beforeFirstKill.Concat(rest).ToList();
        var byReader = all.ToLookup(Recipient, StringComparer.Ordinal);
        Assert.Equal(readers.Select(r => r.Email).Order(StringComparer.Ordinal), byReader.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.True(all.Count - Readers <= 4 * Connections, $"{all.Count - Readers} mails went twice; at most {4 * Connections} may");
        Assert.All(all, m => Assert.Equal(variants[Recipient(m)] == "B" ? "Second 1" : "First 1", m.Message.Subject));
        Assert.Equal(Readers, await ScalarAsync<int>(Database, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
    }

    /// <summary>Runs send-now against a slow sink and kills it once the issue's progress line says <paramref name="killAt"/> are sent; returns what the sink took.</summary>
    private static async Task<List<ReceivedMail>> KilledAsync(Dictionary<string, string?> env, string flag, string seconds, int killAt)
    {
        await using var sink = await SmtpSink.StartAsync(flag, seconds);
        env["Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        using (var sending = CliProcess.Start(["send-now"], env))
        {
            var log = ProcessLog.Follow(sending);
            int Sent(string text) => Progress().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            await log.WaitUntilAsync(text => Sent(text) >= killAt, TimeSpan.FromSeconds(120));

            Assert.False(sending.HasExited, "send-now ended before it could be killed: " + log.Text);
            sending.Kill(entireProcessTree: true);
            await sending.WaitForExitAsync();
        }

        await sink.StopAsync();
        return Accepted(sink);
    }

    private async Task<Dictionary<string, string>> VariantsAsync(IEnumerable<Reader> readers)
    {
        var emails = readers.ToDictionary(r => r.Id, r => r.Email);
        var variants = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(Database);
        await using var command = Command(connection, "SELECT SubscriberId, Variant FROM Deliveries");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            variants[emails[reader.GetInt64(0)]] = reader.GetString(1);
        }

        return variants;
    }

    private static string Recipient(ReceivedMail mail) => Assert.Single(mail.Recipients);

    [GeneratedRegex(@"Issue #1: (\d+)/\d+ sent")]
    private static partial Regex Progress();

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same kills on PostgreSQL, through its delivery store and lease.</summary>
public sealed class SubjectTestKillOnPostgresTests : SubjectTestKillTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
