using Newsletter.Data;
using Newsletter.Inbound;
using Newsletter.SendingSetup;
using Newsletter.Tests.Fixtures;
using Newsletter.Tests.Inbound;

namespace Newsletter.Tests.SendingSetup;

/// <summary>The reports kept on PostgreSQL too (its own migration, the same reader and totals).</summary>
public sealed class DmarcReportsOnPostgresTests(SetupDns dns, DovecotFixture dovecot) : IClassFixture<SetupDns>, IClassFixture<DovecotFixture>
{
    [Fact]
    public async Task ZippedAndGzippedReportsAreKeptOnceAndTotalled()
    {
        using var app = new NewsletterApp(InboundTestApp.Settings(dovecot.Server, dns.Settings("right.example")), DatabaseProvider.Postgres);
        await dovecot.Server.AppendAsync(DmarcSamples.Zipped("right.example"));
        await dovecot.Server.AppendAsync(DmarcSamples.Gzipped("right.example"));
        await dovecot.Server.AppendAsync(DmarcSamples.Zipped("right.example"));

        var check = await InboundTestApp.Service<InboundMailbox>(app).CheckAsync(CancellationToken.None);

        Assert.Equal((3, 0), (check.Handled, check.Review));
        await using var scope = app.Scope();
        var totals = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<DmarcReportTotals>(scope.ServiceProvider).LastAsync(20, CancellationToken.None);
        Assert.Equal([("Outlook.com", 450, 450, 0), ("google.com", 1203, 1200, 1200)],
            totals.Reports.Select(r => (r.Organization, r.Mails, r.DkimAligned, r.SpfAligned)));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), totals.Reports[1].Begin);
        var spoofer = Assert.Single(totals.Sources, s => s.SourceIp == "198.51.100.7");
        Assert.Equal((3, 3), (spoofer.Mails, spoofer.Quarantined));
    }
}
