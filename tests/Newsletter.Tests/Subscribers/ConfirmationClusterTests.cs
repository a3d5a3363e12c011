using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Two instances on one PostgreSQL database both send the confirmation mails that are due: each
/// mail is claimed by one of them, so every reader gets exactly one.
/// </summary>
public sealed class ConfirmationClusterTests
{
    [Fact]
    public async Task TwoInstancesSendEachDueConfirmationOnce()
    {
        const int readers = 10;

        // -w 1: each mail takes a second, so the second instance starts while the first still sends.
        await using var sink = await SmtpSink.StartAsync("-w", "1");
        var database = PostgresServer.Shared.CreateDatabase();
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Newsletter"] = database,
                ["Smtp:Host"] = sink.Host,
                ["Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
                ["Smtp:Security"] = "None",
            };
            List<Reader> pending;
            using (var setup = new NewsletterApp(settings, DatabaseProvider.Postgres))
            {
                // Migrated, then stopped at once: the mails are owed to whichever instances start next.
                _ = setup.CreateClient();
                await setup.Services.GetServices<IHostedService>().OfType<Newsletter.Subscribers.ConfirmationMailer>().Single().StopAsync(CancellationToken.None);
                pending = await AddReadersAsync(setup, readers, "Pending", "pending");
                await ScalarAsync<long>(setup, $"UPDATE Subscribers SET ConfirmationMailDueAt = 0 WHERE Status = 'Pending' RETURNING 1");
            }

            using var first = new NewsletterApp(settings, DatabaseProvider.Postgres);
            _ = first.CreateClient();
            await WaitForFilesAsync(sink, 1);
            using var second = new NewsletterApp(settings, DatabaseProvider.Postgres);
            _ = second.CreateClient();

            // Done when the database owes no mail and has every one as sent; then nothing else is on its way.
            await WaitUntilAsync(async () => await ScalarAsync<int>(first,
                "SELECT COUNT(*) FROM Subscribers WHERE ConfirmationMailDueAt IS NOT NULL OR ConfirmationSentAt IS NULL") == 0, TimeSpan.FromSeconds(60));
            var received = await AcceptedBeforeMarkerAsync(sink);
            Assert.Equal(pending.Select(r => r.Email).Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(database);
        }
    }
}
