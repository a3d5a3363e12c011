using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;
using Npgsql;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// Two real `run` processes on one PostgreSQL database and one smtp-sink: a cluster. The schedule
/// fires once; both instances send the same issue under one rate limit; and when one is killed with
/// SIGKILL mid-send, the other finishes it: every reader gets the issue, and only what was in flight
/// on the killed instance can arrive twice.
/// </summary>
public sealed class SharedSendTests
{
    /// <summary>Smtp:Connections of each instance.</summary>
    private const int Connections = 2;

    [Fact]
    public async Task TwoInstancesShareOneSendUnderOneClusterWideRateLimit()
    {
        const int readers = 2000;
        const int rate = 300;
        await using var sink = await SmtpSink.StartAsync();
        using var database = new ClusterDatabase();
        var env = database.Settings(sink);
        env["Smtp__MaxMessagesPerSecond"] = rate.ToString(CultureInfo.InvariantCulture);
        var emails = await database.AddReadersAsync(readers);
        await using var a = await ProductInstance.StartAsync(env);
        await using var b = await ProductInstance.StartAsync(env);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await adminA.PostAsync("/api/digests/send", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminB.PostAsync("/api/digests/send", null)).StatusCode);

        // While it sends: who holds claimed rows, and the rate the other instance's API reports.
        var senders = new HashSet<string>(StringComparer.Ordinal);
        var reportedRate = 0.0;
        IssueView? issue;
        do
        {
            senders.UnionWith(await database.ClaimOwnersAsync());
            issue = await IssueAsync(adminB, 1);
            reportedRate = Math.Max(reportedRate, issue?.RatePerSecond ?? 0);
            await Task.Delay(100);
        }
        while (issue?.Status != "sent" && clock.Elapsed < TimeSpan.FromSeconds(120));

        var elapsed = clock.Elapsed;
        Assert.Equal("sent", issue?.Status);
        Assert.Equal((readers, 0, 0), (issue!.Sent, issue.Failed, issue.Skipped));
        Assert.Contains(senders, owner => owner.EndsWith($"/{a.ProcessId}", StringComparison.Ordinal));
        Assert.Contains(senders, owner => owner.EndsWith($"/{b.ProcessId}", StringComparison.Ordinal));
        var received = (await MailsBeforeMarkerAsync(sink, readers)).Select(m => Assert.Single(m.Recipients)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(emails, received);

        // The limit is the cluster's: two instances at 300/s each would need only half of this.
        Assert.True(elapsed >= TimeSpan.FromSeconds(readers * 0.9 / rate), $"{readers} mails in {elapsed} at {rate}/s");

        // Any instance reports the whole cluster's rate, not its own share of it.
        var average = readers / elapsed.TotalSeconds;
        Assert.True(reportedRate >= 0.6 * average, $"reported {reportedRate}/s, the cluster averaged {average:F0}/s");
    }

    [Fact]
    public async Task AnInstanceKilledMidSendLeavesNoReaderWithoutTheIssue()
    {
        const int readers = 3000;
        await using var sink = await SmtpSink.StartAsync();
        using var database = new ClusterDatabase();
        var env = database.Settings(sink);
        env["Smtp__MaxMessagesPerSecond"] = "500";
        var emails = await database.AddReadersAsync(readers);
        await using var a = await ProductInstance.StartAsync(env);
        await using var b = await ProductInstance.StartAsync(env);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();

        (await adminA.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        (await adminB.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();

        // Kill B once it holds claimed rows of its own and the send is well under way.
        var owners = new HashSet<string>(StringComparer.Ordinal);
        await WaitUntilAsync(async () =>
        {
            owners.UnionWith(await database.ClaimOwnersAsync());
            return owners.Any(o => o.EndsWith($"/{b.ProcessId}", StringComparison.Ordinal))
                && Directory.GetFiles(sink.Folder, "*", SearchOption.AllDirectories).Length >= readers / 4;
        }, TimeSpan.FromSeconds(60));
        b.Kill();

        var done = await WaitForIssueAsync(adminA, 1, i => i.Status == "sent", TimeSpan.FromSeconds(120));

        Assert.Equal((readers, 0, 0), (done.Sent, done.Failed, done.Skipped));
        var received = await AcceptedBeforeMarkerAsync(sink);
        var distinct = received.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(emails, distinct);

        // Only mails on the killed instance's wire can go twice: two per connection at most.
        Assert.InRange(received.Count - distinct.Count, 0, 2 * Connections);
        Assert.Contains("claimed by a sender whose lease expired go back to the queue", a.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScheduleFiresOnceWhateverTheNumberOfInstances()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var database = new ClusterDatabase();
        var env = database.Settings(sink);
        env["Digest__Schedule"] = "0/2 * * * * ?";
        await using var a = await ProductInstance.StartAsync(env);
        await using var b = await ProductInstance.StartAsync(env);

        // Both instances are up for several fires.
        var firstSlots = await database.SlotsAsync();
        await WaitUntilAsync(async () => (await database.SlotsAsync()).Count >= firstSlots.Count + 4, TimeSpan.FromSeconds(60));

        // The slots first, then the log: a slot's line reaches the output a moment after its row.
        var slots = await database.SlotsAsync();
        await WaitUntilAsync(() => Task.FromResult(slots.All(slot => (a.Log + b.Log).Contains($"made for slot {slot}", StringComparison.Ordinal))), TimeSpan.FromSeconds(10));
        var log = a.Log + b.Log;

        // Each fire made its slot's issue; a second fire of a slot would log "already exists".
        Assert.DoesNotContain("already exists", log, StringComparison.Ordinal);
        foreach (var slot in slots)
        {
            Assert.Equal(1, log.Split($"made for slot {slot}").Length - 1);
        }
    }

    [Fact]
    public async Task AFireMissedWhileNoInstanceRanIsCaughtUpOnceByTwoInstances()
    {
        const int readers = 40;
        await using var sink = await SmtpSink.StartAsync();
        using var database = new ClusterDatabase();
        var env = database.Settings(sink);

        // A daily schedule whose occurrence today came half a minute ago.
        var fire = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30);
        env["Digest__Schedule"] = $"{fire.Second} {fire.Minute} {fire.Hour} * * ?";
        env["Digest__TimeZone"] = "UTC";
        var emails = await database.AddReadersAsync(readers);

        // One instance puts the trigger in the shared store (next fire: tomorrow), then the cluster is down.
        await using (var first = await ProductInstance.StartAsync(env))
        {
            Assert.Contains("Digest schedule set to", first.Log, StringComparison.Ordinal);
        }

        Assert.Equal((fire + TimeSpan.FromDays(1)).UtcTicks, await database.DigestNextFireTicksAsync());
        Assert.Empty(await database.SlotsAsync());

        // While nothing ran, today's fire fell due: the store holds it as the trigger's next fire.
        await database.SetDigestNextFireAsync(fire);

        // Both start at once and race for it.
        var startA = ProductInstance.StartAsync(env);
        var startB = ProductInstance.StartAsync(env);
        await using var a = await startA;
        await using var b = await startB;
        using var admin = a.CreateAdminClient();

        // Caught up and sent, and the trigger is at rest on tomorrow's fire: no second fire of today's can come.
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(60));
        await WaitUntilAsync(async () => await database.DigestNextFireTicksAsync() > DateTimeOffset.UtcNow.UtcTicks
            && await database.FiredTriggersAsync() == 0, TimeSpan.FromSeconds(30));

        Assert.Equal([SendSlots.Format(fire)], await database.SlotsAsync());
        var log = a.Log + b.Log;
        Assert.Contains(") kept; next fire", a.Log, StringComparison.Ordinal);
        Assert.Contains(") kept; next fire", b.Log, StringComparison.Ordinal);
        Assert.Equal(1, log.Split($"made for slot {SendSlots.Format(fire)}").Length - 1);
        Assert.DoesNotContain("already exists", log, StringComparison.Ordinal);
        var received = (await AcceptedBeforeMarkerAsync(sink)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(emails, received);
    }

    /// <summary>A PostgreSQL database of its own for the cluster, migrated by `migrate`, and the instances' settings.</summary>
    private sealed class ClusterDatabase : IDisposable
    {
        public ClusterDatabase()
        {
            ConnectionString = PostgresServer.Shared.CreateDatabase();
            var migrate = CliProcess.RunAsync(["migrate"], Settings(null), TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
            Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        }

        public string ConnectionString { get; }

        public Dictionary<string, string?> Settings(SmtpSink? sink) => new()
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Newsletter"] = ConnectionString,
            ["Templates__Path"] = Path.Combine(NewsletterApp.RepositoryRoot, "templates"),
            ["Newsletter__PublicBaseUrl"] = "https://verdicts.example.com",
            ["Newsletter__From"] = "AI Tool Verdicts <digest@verdicts.example.com>",
            ["Newsletter__AdminApiKey"] = NewsletterApp.AdminKey,
            ["Smtp__Host"] = sink?.Host ?? "",
            ["Smtp__Port"] = (sink?.Port ?? 25).ToString(CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "None",
            ["Smtp__Connections"] = Connections.ToString(CultureInfo.InvariantCulture),
            ["Delivery__BatchSize"] = "50",
            ["Delivery__LeaseDuration"] = "00:00:03",
            ["Delivery__ProgressInterval"] = "00:00:01",
            ["Digest__SendWhenEmpty"] = "true",
        };

        /// <summary>Confirmed readers reader00001@example.com …, in one statement; returns their addresses in order.</summary>
        public async Task<List<string>> AddReadersAsync(int count)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO subscribers (email, emailkey, name, status, createdat, unsubscribetoken, softbouncecount, confirmationmailattempts)
                SELECT 'reader' || lpad(i::text, 5, '0') || '@example.com', 'reader' || lpad(i::text, 5, '0') || '@example.com',
                       'Reader ' || i, 'Confirmed', @now, md5(i::text || clock_timestamp()::text), 0, 0
                FROM generate_series(1, @count) AS i
                """, connection);
            command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("count", count);
            await command.ExecuteNonQueryAsync();
            return [.. Enumerable.Range(1, count).Select(i => $"reader{i:D5}@example.com").Order(StringComparer.Ordinal)];
        }

        /// <summary>Who ("host/pid") holds claimed deliveries right now.</summary>
        public async Task<List<string>> ClaimOwnersAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT DISTINCT l.owner FROM deliveries d JOIN senderleases l ON l.id = d.claimedby WHERE d.status = 'Sending'", connection);
            var owners = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                owners.Add(reader.GetString(0));
            }

            return owners;
        }

        public async Task<List<string>> SlotsAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT slot FROM issues ORDER BY number", connection);
            var slots = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                slots.Add(reader.GetString(0));
            }

            return slots;
        }

        /// <summary>The weekly digest trigger's next fire in Quartz's store (UTC ticks, as Quartz keeps it).</summary>
        public async Task<long?> DigestNextFireTicksAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = 'weekly-digest' AND trigger_group = 'newsletter'", connection);
            return await command.ExecuteScalarAsync() as long?;
        }

        /// <summary>What the store holds after a fire fell due while no instance ran: that fire as the next one.</summary>
        public async Task SetDigestNextFireAsync(DateTimeOffset fire)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "UPDATE qrtz_triggers SET next_fire_time = @ticks WHERE trigger_name = 'weekly-digest' AND trigger_group = 'newsletter'", connection);
            command.Parameters.AddWithValue("ticks", fire.UtcTicks);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        /// <summary>Fires Quartz has handed to an instance and not yet seen finish.</summary>
        public async Task<long> FiredTriggersAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM qrtz_fired_triggers", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public void Dispose() => PostgresServer.Shared.DropDatabase(ConnectionString);
    }
}
