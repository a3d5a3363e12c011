using System.Globalization;
using Microsoft.Data.Sqlite;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Production;

/// <summary>
/// `backup --to FILE` while the worker sends, and a restore from it as the README says: stop,
/// remove the -wal and -shm files, put the backup in place, start.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private const int Readers = 3000;
    private readonly string _data = Directory.CreateTempSubdirectory("newsletter-data-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("newsletter-cwd-").FullName;

    private string Database => Path.Combine(_data, "newsletter.db");

    [Fact]
    public async Task ABackupTakenMidSendRestoresToAnAppThatFinishesTheIssueAndKeepsLaterDepartures()
    {
        var env = PublishedBuild.Environment(_data);
        Assert.Equal(0, (await PublishedBuild.RunAsync(["migrate"], env, _work)).ExitCode);
        var readers = await AddReadersAsync(_data, Readers);
        var leaving = readers[^1];
        var backup = Path.Combine(_data, "backup.db");

        await using var first = await SmtpSink.StartAsync();
        env.WithSink(first)["Smtp__MaxMessagesPerSecond"] = "100";
        await using (var app = await PublishedInstance.StartAsync(env, _work))
        {
            await app.WaitUntilHealthyAsync();
            using var admin = app.CreateAdminClient();
            (await admin.PostAsync(new Uri("/api/digests/send", UriKind.Relative), null)).EnsureSuccessStatusCode();
            await WaitForFilesAsync(first, 300, TimeSpan.FromSeconds(60));

            var made = await PublishedBuild.RunAsync(["backup", "--to", backup], env, _work);
            Assert.True(made.ExitCode == 0, made.Stderr);
            var again = await PublishedBuild.RunAsync(["backup", "--to", backup], env, _work);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("--force", again.Stderr, StringComparison.Ordinal);

            // After the backup, a reader leaves: the restore must not bring them back.
            using var web = new HttpClient { BaseAddress = app.BaseAddress };
            (await web.PostAsync(new Uri($"/unsubscribe?token={leaving.Token}", UriKind.Relative), null)).EnsureSuccessStatusCode();
            Assert.Equal(0, await app.StopAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal("ok", await ScalarAsync<string>(backup, "PRAGMA integrity_check"));
        var sentInBackup = await ScalarAsync<long>(backup, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'");
        Assert.InRange(sentInBackup, 1, Readers - 1);
        Assert.Equal("Confirmed", await ScalarAsync<string>(backup, $"SELECT Status FROM Subscribers WHERE Id = {leaving.Id}"));
        await first.StopAsync();
        var beforeRestore = Accepted(first).Select(m => Assert.Single(m.Recipients)).ToList();

        // The restore.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Database, Database + "-wal", Database + "-shm" })
        {
            File.Delete(file);
        }

        File.Copy(backup, Database);

        await using var second = await SmtpSink.StartAsync();
        env.WithSink(second).Remove("Smtp__MaxMessagesPerSecond");
        await using var restored = await PublishedInstance.StartAsync(env, _work);
        await restored.WaitUntilHealthyAsync();
        using var admin2 = restored.CreateAdminClient();
        var done = await WaitForIssueAsync(admin2, 1, i => i.Status == "sent", TimeSpan.FromSeconds(120));

        Assert.Contains("Departures journal", restored.Log, StringComparison.Ordinal);
        Assert.Equal("Unsubscribed", await ScalarAsync<string>(Database, $"SELECT Status FROM Subscribers WHERE Id = {leaving.Id}"));
        var afterRestore = await AcceptedBeforeMarkerAsync(second);
        Assert.DoesNotContain(leaving.Email, afterRestore);
        var everyone = readers.Where(r => r != leaving).Select(r => r.Email).Order().ToList();
        Assert.Equal(everyone, beforeRestore.Concat(afterRestore).Where(e => e != leaving.Email).Distinct().Order().ToList());
        Assert.Equal(Readers, done.Sent + done.Skipped);
    }

    private static async Task<T> ScalarAsync<T>(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The test's own SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_work, recursive: true);
    }
}
