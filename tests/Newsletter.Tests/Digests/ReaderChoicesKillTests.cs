using System.Globalization;
using System.Text.Json.Nodes;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Digests;

/// <summary>
/// `send-now` as an operator runs it, on a list whose readers chose four different ways (and many
/// never chose), killed with SIGKILL mid-send and run again, while some readers change their topics.
/// Read from smtp-sink's files: every reader got exactly what their choice selected when the issue
/// was made, nobody missed it, and only mails on the wire at the kill went twice.
/// </summary>
public class ReaderChoicesKillTests : IDisposable
{
    private const int Readers = 300;
    private const int Connections = 4;

    /// <summary>Mails in the sink when send-now is killed.</summary>
    private const int Kill = 40;
    private const string Coding = "Coding agents";
    private const string Inference = "Inference platforms";
    private const string Design = "Design tools";

    /// <summary>The comparisons, oldest first: title and its tools' categories (none: it goes to everyone).</summary>
    private static readonly (string Title, string?[] Categories)[] Comparisons =
    [
        ("Coding One", [Coding, Coding]),
        ("Inference One", [Inference, Inference]),
        ("Design One", [Design, Design]),
        ("Mixed Coding Design", [Coding, Design]),
        ("Plain One", [null, null]),
        ("Inference Two", [Inference, Inference]),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-choices-kill-").FullName;
    private TestDatabase? _database;

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private TestDatabase Database => _database ??= new TestDatabase(Provider, _folder);

    /// <summary>A reader's choice as the preference form stores it: frequency and topic keys (none: every topic).</summary>
    private sealed record Choice(string Frequency, params string[] Topics);

    /// <summary>Reader i's choice: a fifth never chose; the rest chose one of five ways (two give the same mail).</summary>
    private static Choice? ChoiceOf(int i) => (i % 6) switch
    {
        1 => new("Weekly", "coding agents"),
        2 => new("Weekly", "inference platforms"),
        3 => new("Weekly", "design tools", "inference platforms"),
        4 => new("Weekly", "design tools"),

        // Monthly, every topic: the list's first issue is the month's first, so they get it all.
        5 => new("Monthly"),
        _ => null,
    };

    /// <summary>What a choice selects from this issue, in the issue's order (the test's own reading of the rule).</summary>
    private static List<string> Selected(Choice? choice) =>
        [.. Comparisons.Where(c => choice is null || choice.Topics.Length == 0
                || c.Categories.All(k => k is null)
                || c.Categories.Any(k => k is not null && choice.Topics.Contains(k.ToLowerInvariant())))
            .Select(c => c.Title)];

    [Fact]
    public async Task AKillMidSendWithSeveralSelectionsGivesEveryReaderWhatTheirChoiceFixedAndNoMore()
    {
        var env = Database.Environment();
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Security"] = "None";
        env["Smtp__Connections"] = Connections.ToString(CultureInfo.InvariantCulture);

        env["Delivery__BatchSize"] = "5";
        env["Delivery__LeaseDuration"] = "00:00:03";
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], env)).ExitCode);
        var import = await CliProcess.RunAsync(["import", WriteComparisons()], env);
        Assert.True(import.ExitCode == 0, import.Stdout + import.Stderr);
        var readers = await AddReadersAsync(Database, Readers);
        var choices = readers.Select((r, i) => (r, ChoiceOf(i))).ToDictionary(x => x.r.Id, x => x.Item2);
        await using (var connection = await OpenAsync())
        {
            foreach (var (id, choice) in choices)
            {
                if (choice is not null)
                {
                    await ChooseAsync(connection, id, choice);
                }
            }
        }

        // Five selections (four with topics, one monthly), plus the readers who never chose.
        Assert.Equal(5, choices.Values.Select(c => string.Join(",", Selected(c))).Distinct().Count());

        // Each DATA is answered after a second: four connections send about four mails a second, slow
        // enough that the changes and the kill land mid-send even on a loaded machine.
        await using var first = await SmtpSink.StartAsync("-w", "1");
        env["Smtp__Port"] = first.Port.ToString(CultureInfo.InvariantCulture);
        var changers = new Dictionary<long, Choice?>();

        // Deliveries go out in the order of the readers' ids: the last of each kind go after the kill.
        var coder = readers.Last(r => choices[r.Id]?.Topics is ["coding agents"]).Id;
        var newcomer = readers.Last(r => choices[r.Id] is null).Id;
        changers[coder] = choices[coder];
        changers[newcomer] = null;
        Task changing;
        using (var sending = CliProcess.Start(["send-now"], env))
        {
            // What send-now says as it goes (smtp-sink writes its files only as connections end, so
            // the sink cannot tell how far the send is): the issue made, then its progress lines.
            var log = ProcessLog.Follow(sending);
            static int Sent(string text) => System.Text.RegularExpressions.Regex.Matches(text, @"Issue #1: (\d+)/\d+ sent")
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

            // Once the issue is made (its deliveries and ledger committed together), two readers whose
            // mails go last change their minds: a coding reader goes to inference, monthly; a reader who
            // never chose picks design only. (On SQLite the change waits for the send's write lock, as
            // the preference page's would; it is in before the resumed send.)
            await log.WaitUntilAsync(text => text.Contains("Issue #1 made for slot", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
            Assert.False(sending.HasExited, "send-now ended before the issue was under way: " + log.Text);
            changing = ChangeAsync(coder, newcomer);

            await log.WaitUntilAsync(text => Sent(text) >= Kill, TimeSpan.FromSeconds(120));
            Assert.False(sending.HasExited, "send-now ended before it could be killed: " + log.Text);
            sending.Kill(entireProcessTree: true);
            await sending.WaitForExitAsync();
        }

        await changing;

        await first.StopAsync();
        var beforeKill = Accepted(first);
        var inFlight = (await DeliveriesAsync(Database)).Where(d => d.Status == "Sending").Select(d => d.SubscriberId!.Value).ToHashSet();
        Assert.InRange(beforeKill.Count, Kill - 2 * Connections, Readers - 1);

        await using var second = await SmtpSink.StartAsync();
        env["Smtp__Port"] = second.Port.ToString(CultureInfo.InvariantCulture);
        env["Smtp__MaxMessagesPerSecond"] = "0";
        var resumed = await CliProcess.RunAsync(["send-now"], env, TimeSpan.FromSeconds(120));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"Issue #1 sent: {Readers} sent, 0 failed, 0 skipped", resumed.Stdout, StringComparison.Ordinal);

        // The changers' mails went in the resumed send, after their change was in.
        var resumedTo = second.Messages().Select(m => Assert.Single(m.Recipients)).ToHashSet(StringComparer.Ordinal);
        Assert.All(changers.Keys, id => Assert.Contains(readers.Single(r => r.Id == id).Email, resumedTo));

        // Nobody missed the issue; only mails on the wire at the kill went twice.
        var all = beforeKill.Concat(second.Messages()).ToList();
        var byReader = all.ToLookup(m => Assert.Single(m.Recipients), StringComparer.Ordinal);
        Assert.Equal(readers.Select(r => r.Email).Order(StringComparer.Ordinal), byReader.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.True(all.Count - Readers <= 2 * Connections, $"{all.Count - Readers} mails went twice; at most {2 * Connections} may");
        Assert.All(byReader.Where(g => g.Count() > 1), g => Assert.Contains(readers.Single(r => r.Email == g.Key).Id, inFlight));

        // Every mail (a repeat too) carries what the reader's choice selected when the issue was made:
        // the changers' included, whether it went before or after the kill; its subject names one of them.
        foreach (var reader in readers)
        {
            var expected = Selected(changers.TryGetValue(reader.Id, out var before) ? before : choices[reader.Id]);
            foreach (var mail in byReader[reader.Email])
            {
                Assert.Equal(expected, Titles(mail.Message));
                Assert.Contains(expected, t => (mail.Message.Subject ?? "").Contains(t, StringComparison.Ordinal));
            }
        }

        // Several selections really went out: the whole issue, and each topic choice its own part of it.
        Assert.Equal(5, all.Select(m => string.Join(",", Titles(m.Message))).Distinct().Count());
        Assert.Equal(1, await ScalarAsync<int>(Database, "SELECT COUNT(*) FROM Issues"));
        Assert.Equal(Readers, await ScalarAsync<int>(Database, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
    }

    /// <summary>The comparisons above as files for `import`, each the real sample with its title, date and categories.</summary>
    private string WriteComparisons()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "comparisons")).FullName;
        for (var i = 0; i < Comparisons.Length; i++)
        {
            var (title, categories) = Comparisons[i];
            var slug = title.ToLowerInvariant().Replace(' ', '-');
            var node = SampleComparisons.With(slug, DateTimeOffset.UtcNow.AddDays(-Comparisons.Length + i).AddHours(-1), title);
            var tools = node["tools"]!.AsArray().OfType<JsonObject>().ToList();
            for (var t = 0; t < tools.Count; t++)
            {
                if (categories[t] is { } category)
                {
                    tools[t]["category"] = category;
                }
                else
                {
                    tools[t].Remove("category");
                }
            }

            File.WriteAllText(Path.Combine(folder, slug + ".json"), node.ToJsonString());
        }

        return folder;
    }

    /// <summary>The reader's choice, written as the preference form writes it (no web front runs beside `send-now`).</summary>
    private static async Task ChooseAsync(System.Data.Common.DbConnection connection, long subscriberId, Choice choice)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var clear = Command(connection, "DELETE FROM ReaderTopics WHERE SubscriberId = @id", ("id", subscriberId)))
        {
            clear.Transaction = transaction;
            await clear.ExecuteNonQueryAsync();
        }

        // One text for both engines: each has INSERT … ON CONFLICT.
        await using (var upsert = Command(connection,
            "INSERT INTO ReaderPreferences (SubscriberId, Frequency, UpdatedAt) VALUES (@id, @frequency, @now) ON CONFLICT (SubscriberId) DO UPDATE SET Frequency = @frequency, UpdatedAt = @now",
            ("id", subscriberId), ("frequency", choice.Frequency), ("now", now)))
        {
            upsert.Transaction = transaction;
            await upsert.ExecuteNonQueryAsync();
        }

        foreach (var topic in choice.Topics)
        {
            await using var command = Command(connection, "INSERT INTO ReaderTopics (SubscriberId, Topic) VALUES (@id, @topic)", ("id", subscriberId), ("topic", topic));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>The two changes made mid-send, in one go as two readers' forms would.</summary>
    private async Task ChangeAsync(long coder, long newcomer)
    {
        await using var connection = await OpenAsync();
        await ChooseAsync(connection, coder, new Choice("Monthly", "inference platforms"));
        await ChooseAsync(connection, newcomer, new Choice("Weekly", "design tools"));
    }

    private Task<System.Data.Common.DbConnection> OpenAsync() => Delivery.DeliveryTestData.OpenAsync(Database);

    /// <summary>The comparisons a mail carries, in its order, read from its text body.</summary>
    private static List<string> Titles(MimeKit.MimeMessage mail)
    {
        var text = mail.TextBody ?? "";
        return [.. Comparisons.Select(c => c.Title).Where(t => text.Contains(t, StringComparison.Ordinal)).OrderBy(t => text.IndexOf(t, StringComparison.Ordinal))];
    }

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same kill on PostgreSQL, through its delivery store and lease.</summary>
public sealed class ReaderChoicesKillOnPostgresTests : ReaderChoicesKillTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
