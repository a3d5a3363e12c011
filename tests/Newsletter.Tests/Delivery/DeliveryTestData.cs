using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;

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
    /// Adds readers straight to the database (the subscribers feature is not under test here):
    /// "{prefix}0001@example.com" … with a random unsubscribe token each.
    /// </summary>
    public static async Task<List<Reader>> AddReadersAsync(string folder, int count, string status = "Confirmed", string prefix = "reader")
    {
        await using var connection = new SqliteConnection(ConnectionString(folder));
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var readers = new List<Reader>(count);
        for (var i = 1; i <= count; i++)
        {
            var email = $"{prefix}{i:D4}@example.com";
            var name = $"Reader {prefix} {i} Ünïcode";
            var token = Guid.NewGuid().ToString("N");
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                """
                INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, UnsubscribeToken)
                VALUES ($email, $email, $name, $status, $now, $token) RETURNING Id
                """;
            command.Parameters.AddWithValue("$email", email);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$token", token);
            var id = (long)(await command.ExecuteScalarAsync())!;
            readers.Add(new Reader(id, email, name, status, token));
        }

        await transaction.CommitAsync();
        return readers;
    }

    public static async Task<T> ScalarAsync<T>(string folder, string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString(folder));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<(long Id, string Status, int Attempts, string? LastError, long? SubscriberId)>> DeliveriesAsync(string folder)
    {
        await using var connection = new SqliteConnection(ConnectionString(folder));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Status, Attempts, LastError, SubscriberId FROM Deliveries ORDER BY Id";
        var rows = new List<(long, string, int, string?, long?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>Publishes a comparison (yesterday) through the admin API, so the next digest has something to carry.</summary>
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
