using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Inbound;

/// <summary>The product pointed at a Dovecot mailbox, signing VERP tokens with the samples' key.</summary>
public static class InboundTestApp
{
    /// <summary>A schedule that never fires by itself: the tests run the check when they want it.</summary>
    public const string NeverSchedule = "0 0 0 1 1 ? 2099";

    public static Dictionary<string, string?> Settings(Dovecot dovecot, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bounces:ReturnPath"] = InboundSamples.ReturnPath,
            ["Inbound:Host"] = dovecot.Host,
            ["Inbound:Port"] = dovecot.Port.ToString(CultureInfo.InvariantCulture),
            ["Inbound:Security"] = "None",
            ["Inbound:UserName"] = Dovecot.UserName,
            ["Inbound:Password"] = Dovecot.Password,
            ["Inbound:Schedule"] = NeverSchedule,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts the app (migrating its database) and stores the samples' key as its VERP secret before anything signs.</summary>
    public static async Task StartWithSampleKeyAsync(NewsletterApp app)
    {
        _ = app.Services;
        await app.WithDbAsync(async db =>
        {
            db.Secrets.Add(new StoredSecret { Name = "verp", Value = Convert.ToBase64String(InboundSamples.Key) });
            return await db.SaveChangesAsync();
        });
    }

    /// <summary>Readers with the ids the samples name (101 …), confirmed, in the app's database (SQLite or PostgreSQL).</summary>
    public static async Task AddSampleReadersAsync(NewsletterApp app, params long[] ids)
    {
        await using var connection = await Delivery.DeliveryTestData.OpenAsync(app);
        foreach (var id in ids)
        {
            await using var command = Delivery.DeliveryTestData.Command(connection,
                """
                INSERT INTO Subscribers (Id, Email, EmailKey, Status, CreatedAt, UnsubscribeToken, SoftBounceCount, ConfirmationMailAttempts)
                VALUES (@id, @email, @email, 'Confirmed', @now, @token, 0, 0)
                """,
                ("id", id), ("email", $"sample{id}@example.org"), ("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ("token", Guid.NewGuid().ToString("N")));
            await command.ExecuteNonQueryAsync();
        }
    }

    public static async Task<(string Status, string? Reason, int SoftBounces)> ReaderAsync(NewsletterApp app, long id) =>
        await app.WithDbAsync(async db =>
        {
            var s = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Subscribers, x => x.Id == id);
            return (s.Status.ToString(), s.StoppedReason, s.SoftBounceCount);
        });

    public static T Service<T>(NewsletterApp app)
        where T : notnull => app.Services.GetRequiredService<T>();
}
