using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;
using Npgsql;

namespace Newsletter.Tests.Delivery;

/// <summary>Readers, comparisons and polling for the delivery and scheduling tests.</summary>
public static class DeliveryTestData
{
    public sealed record Reader(long Id, string Email, string Name, string Status, string Token);

    /// <summary>Settings that point an app at an SMTP server and make retries and pauses quick.</summary>
    public static Dictionary<string, string?> SmtpSettings(int port, int connections = 4) => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:Connections"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Delivery:RetryDelay"] = "00:00:00.2",
        ["Delivery:MaxRetryDelay"] = "00:00:01",
        ["Delivery:PauseDelay"] = "00:00:00.5",
        ["Delivery:ProgressInterval"] = "00:00:01",
    };

    public static string ConnectionString(string folder) => $"Data Source={Path.Combine(folder, "newsletter.db")}";

    /// <summary>
    /// Adds readers straight to the app's database, SQLite or PostgreSQL (the subscribers feature is
    /// not under test here): "{prefix}0001@example.com" … with a random unsubscribe token each.
    /// </summary>
    public static Task<List<Reader>> AddReadersAsync(NewsletterApp app, int count, string status = "Confirmed", string prefix = "reader") =>
        AddReadersAsync(Db.Of(app), count, status, prefix);

    /// <summary>The same, in a SQLite file of its own (commands run outside a test app).</summary>
    public static Task<List<Reader>> AddReadersAsync(string folder, int count, string status = "Confirmed", string prefix = "reader") =>
        AddReadersAsync(Db.Of(folder), count, status, prefix);

    /// <summary>The same, in a database that several runs of one test share.</summary>
    public static Task<List<Reader>> AddReadersAsync(TestDatabase database, int count, string status = "Confirmed", string prefix = "reader") =>
        AddReadersAsync(Db.Of(database), count, status, prefix);

    private static async Task<List<Reader>> AddReadersAsync(Db db, int count, string status, string prefix)
    {
        await using var connection = await OpenAsync(db);
        await using var transaction = await connection.BeginTransactionAsync();
        var readers = new List<Reader>(count);
        for (var i = 1; i <= count; i++)
        {
            var email = $"{prefix}{i:D4}@example.com";
            var name = $"Reader {prefix} {i} Ünïcode";
            var token = Guid.NewGuid().ToString("N");
            await using var command = Command(connection,
                """
                INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, UnsubscribeToken, SoftBounceCount, ConfirmationMailAttempts)
                VALUES (@email, @email, @name, @status, @now, @token, 0, 0) RETURNING Id
                """, ("email", email), ("name", name), ("status", status), ("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ("token", token));
            command.Transaction = transaction;
            var id = (long)(await command.ExecuteScalarAsync())!;
            readers.Add(new Reader(id, email, name, status, token));
        }

        await transaction.CommitAsync();
        return readers;
    }

    /// <summary>One value from the app's database (SQL that both engines read alike: unquoted names fold).</summary>
    public static Task<T> ScalarAsync<T>(NewsletterApp app, string sql) => ScalarAsync<T>(Db.Of(app), sql);

    public static Task<T> ScalarAsync<T>(string folder, string sql) => ScalarAsync<T>(Db.Of(folder), sql);

    public static Task<T> ScalarAsync<T>(TestDatabase database, string sql) => ScalarAsync<T>(Db.Of(database), sql);

    private static async Task<T> ScalarAsync<T>(Db db, string sql)
    {
        await using var connection = await OpenAsync(db);
        await using var command = Command(connection, sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<List<(long Id, string Status, int Attempts, string? LastError, long? SubscriberId)>> DeliveriesAsync(NewsletterApp app) =>
        DeliveriesAsync(Db.Of(app));

    public static Task<List<(long Id, string Status, int Attempts, string? LastError, long? SubscriberId)>> DeliveriesAsync(string folder) =>
        DeliveriesAsync(Db.Of(folder));

    public static Task<List<(long Id, string Status, int Attempts, string? LastError, long? SubscriberId)>> DeliveriesAsync(TestDatabase database) =>
        DeliveriesAsync(Db.Of(database));

    private static async Task<List<(long Id, string Status, int Attempts, string? LastError, long? SubscriberId)>> DeliveriesAsync(Db db)
    {
        await using var connection = await OpenAsync(db);
        await using var command = Command(connection, "SELECT Id, Status, Attempts, LastError, SubscriberId FROM Deliveries ORDER BY Id");
        var rows = new List<(long, string, int, string?, long?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>An open connection to the app's database, whichever engine holds it.</summary>
    public static Task<DbConnection> OpenAsync(NewsletterApp app) => OpenAsync(Db.Of(app));

    /// <summary>The same, for a database that commands run on.</summary>
    public static Task<DbConnection> OpenAsync(TestDatabase database) => OpenAsync(Db.Of(database));

    private static async Task<DbConnection> OpenAsync(Db db)
    {
        DbConnection connection = db.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(db.ConnectionString)
            : new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Which database: an app's, or a SQLite file in a folder.</summary>
    private sealed record Db(DatabaseProvider Provider, string ConnectionString)
    {
        public static Db Of(NewsletterApp app) => new(app.Provider, app.ConnectionString);

        public static Db Of(string folder) => new(DatabaseProvider.Sqlite, DeliveryTestData.ConnectionString(folder));

        public static Db Of(TestDatabase database) => new(database.Provider, database.ConnectionString);
    }

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Test SQL; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Publishes a comparison (yesterday) through the admin API, so the next digest has something to carry.</summary>
    /// <summary>One group of outcomes through a writer of its own, as an engine's run records them.</summary>
    public static async Task RecordAsync(this IDeliveryQueue queue, IReadOnlyCollection<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        using var writer = queue.OpenOutcomeWriter();
        await writer.RecordAsync(records, cancellationToken);
    }

    /// <summary>
    /// An issue to <paramref name="readers"/> confirmed readers made while a store of the test's own
    /// holds the sender lease (so the app's engine waits), and the first <paramref name="claim"/>
    /// deliveries that store claimed: a sending engine caught between claiming and recording.
    /// </summary>
    public static async Task<(SqliteDeliveryStore Store, DigestIssue Issue, IReadOnlyList<ClaimedDelivery> Claimed)> ClaimedByTestEngineAsync(
        NewsletterApp app, string name, int readers, int claim)
    {
        // The first client starts the app, which makes the database.
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app.Folder, readers);
        await PublishAsync(admin, name + "-verdict");
        var store = new SqliteDeliveryStore(app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
        Assert.True((await store.Leases.AcquireAsync(0, TimeSpan.FromSeconds(30), CancellationToken.None)).Acquired);
        var issue = (await app.Services.GetRequiredService<IssueMaker>().MakeAsync(name + "-slot", CancellationToken.None)).Issue!;
        return (store, issue, await store.Queue.ClaimAsync(issue.Id, 0, claim, CancellationToken.None));
    }

    public static async Task PublishAsync(HttpClient admin, string slug, string? title = null)
    {
        var response = await admin.PutAsync($"/api/comparisons/{slug}",
            SampleComparisons.Content(SampleComparisons.With(slug, DateTimeOffset.UtcNow.AddDays(-1), title)));
        response.EnsureSuccessStatusCode();
    }

    public static async Task<IssueView?> IssueAsync(HttpClient admin, int number)
    {
        var response = await admin.GetAsync($"/api/digests/{number}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<IssueView>(SampleComparisons.Web) : null;
    }

    /// <summary>Polls GET /api/digests/{number} until the condition holds, or fails with the last answer.</summary>
    public static async Task<IssueView> WaitForIssueAsync(HttpClient admin, int number, Func<IssueView, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        IssueView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await IssueAsync(admin, number);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"issue #{number} did not get there: {last}");
    }

    /// <summary>
    /// What a sink that was killed got: its dump files, less those of transactions cut off before the
    /// message came in (smtp-sink opens the file at MAIL FROM).
    /// </summary>
    public static List<ReceivedMail> Accepted(SmtpSink sink)
    {
        var mails = new List<ReceivedMail>();
        foreach (var file in Directory.GetFiles(sink.Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                var mail = ReceivedMail.Load(file);
                if (mail.Message.MessageId is not null && mail.Recipients.Count > 0)
                {
                    mails.Add(mail);
                }
            }
            catch (FormatException)
            {
            }
        }

        return mails;
    }

    /// <summary>Every recipient the sink accepted (a transaction cut off by a kill or still under way is not), once a marker sent last is in.</summary>
    public static async Task<List<string>> AcceptedBeforeMarkerAsync(SmtpSink sink)
    {
        var marker = new MimeKit.MimeMessage();
        marker.From.Add(new MimeKit.MailboxAddress("", "marker@example.com"));
        marker.To.Add(new MimeKit.MailboxAddress("", "marker@example.com"));
        marker.Subject = "marker";
        marker.Body = new MimeKit.TextPart("plain") { Text = "marker" };
        using (var client = new MailKit.Net.Smtp.SmtpClient())
        {
            await client.ConnectAsync(sink.Host, sink.Port, MailKit.Security.SecureSocketOptions.None);
            await client.SendAsync(marker);
            await client.DisconnectAsync(true);
        }

        List<ReceivedMail> mails = [];
        await WaitUntilAsync(() =>
        {
            mails = Accepted(sink);
            return Task.FromResult(mails.Any(m => m.Recipients.Contains("marker@example.com")));
        });
        return [.. mails.SelectMany(m => m.Recipients).Where(r => r != "marker@example.com")];
    }

    /// <summary>Polls until the sink folder holds at least <paramref name="count"/> files.</summary>
    public static async Task WaitForFilesAsync(SmtpSink sink, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Directory.GetFiles(sink.Folder, "*", SearchOption.AllDirectories).Length < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the sink got fewer than {count} mails");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Every mail the sink got besides a marker sent after the send is over: once the marker is in, so
    /// is everything the app had handed over before it (proof the pipe is empty, instead of a sleep).
    /// </summary>
    public static async Task<List<ReceivedMail>> MailsBeforeMarkerAsync(SmtpSink sink, int expected)
    {
        var marker = new MimeKit.MimeMessage();
        marker.From.Add(new MimeKit.MailboxAddress("", "marker@example.com"));
        marker.To.Add(new MimeKit.MailboxAddress("", "marker@example.com"));
        marker.Subject = "marker";
        marker.Body = new MimeKit.TextPart("plain") { Text = "marker" };
        using (var client = new MailKit.Net.Smtp.SmtpClient())
        {
            await client.ConnectAsync(sink.Host, sink.Port, MailKit.Security.SecureSocketOptions.None);
            await client.SendAsync(marker);
            await client.DisconnectAsync(true);
        }

        var all = await sink.WaitForMessagesAsync(expected + 1);
        Assert.Contains(all, m => m.Recipients.Contains("marker@example.com"));
        return [.. all.Where(m => !m.Recipients.Contains("marker@example.com"))];
    }

    /// <summary>
    /// Waits for the app's engine to report that its check for work passed over issue
    /// <paramref name="number"/> because an editor paused it: from then on the engine sends nothing
    /// of it (it has no run of it going, and each later check passes it over again).
    /// </summary>
    public static Task WaitForHeldIssuePassedOverAsync(NewsletterApp app, int number) =>
        app.Logs.WaitForAsync(
            e => e.EventId.Name == DeliveryEngine.HeldEventName && Equals(e.Values.GetValueOrDefault("Number"), number),
            $"that the engine passed over held issue #{number}");

    /// <summary>The setting that lets <see cref="WaitForEngineToFindNoWorkAsync"/> see the engine's looks (a Debug line).</summary>
    public static readonly KeyValuePair<string, string?> EngineLooksLogged = new("Logging:LogLevel:" + typeof(DeliveryEngine).FullName, "Debug");

    /// <summary>
    /// Wakes the app's engine and waits until a look for work that started after this call found
    /// none: from then on this process sends nothing until an issue is made, resumed or falls due. What
    /// a test shows with it instead of sleeping: no further mail comes. The app needs <see cref="EngineLooksLogged"/>.
    /// </summary>
    public static async Task WaitForEngineToFindNoWorkAsync(NewsletterApp app)
    {
        static bool NoWork(LogCapture.Entry e) => e.EventId.Name == DeliveryEngine.FoundNoWorkEventName;
        var before = app.Logs.Entries.Count(NoWork);
        app.Services.GetRequiredService<DeliveryEngine>().Wake();
        await app.Logs.WaitForAsync(
            _ => app.Logs.Entries.Count(NoWork) > before,
            $"that the engine looked for work and found none (is {EngineLooksLogged.Key} set to Debug?)");
    }

    /// <summary>Polls until the condition holds, or fails after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition did not come true");
            }

            await Task.Delay(50);
        }
    }
}
