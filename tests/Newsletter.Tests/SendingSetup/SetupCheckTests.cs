using Microsoft.Extensions.DependencyInjection;
using Newsletter.SendingSetup;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.SendingSetup;

/// <summary>The DMARC rules that need more than one lookup, against dnsmasq, in-process.</summary>
public sealed class SetupCheckTests(SetupDns dns) : IClassFixture<SetupDns>
{
    private static async Task<SetupReport> CheckAsync(Dictionary<string, string?> settings)
    {
        using var app = new NewsletterApp(settings);
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<SetupCheck>().CheckAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DmarcFallsBackToTheOrganisationalDomainAndReportsElsewhereNeedThatDomainsConsent()
    {
        var settings = dns.Settings("fallback.example");
        settings["Newsletter:From"] = "Verdicts <digest@news.fallback.example>";

        var report = await CheckAsync(settings);

        var dmarc = Assert.Single(report.Records, r => r.Purpose == "DMARC");
        Assert.Equal("_dmarc.news.fallback.example", dmarc.Name);
        Assert.Equal(RecordState.Note, dmarc.State);
        // At the organisational domain sp= is the subdomain's policy (RFC 7489 6.6.3).
        Assert.StartsWith("present (p=quarantine); found at the organisational domain _dmarc.fallback.example", dmarc.Verdict, StringComparison.Ordinal);
        Assert.Contains("add rua=mailto:bounces@fallback.example", dmarc.Verdict, StringComparison.Ordinal);

        var consents = report.Records.Where(r => r.Purpose == "DMARC reports").ToDictionary(r => r.Name);
        Assert.Equal(2, consents.Count);
        Assert.Equal(RecordState.Right, consents["fallback.example._report._dmarc.reports.example"].State);
        var missing = consents["fallback.example._report._dmarc.unwilling.example"];
        Assert.Equal(RecordState.Missing, missing.State);
        Assert.Equal("fallback.example._report._dmarc.unwilling.example. IN TXT \"v=DMARC1\"", missing.ZoneLine);
        Assert.False(report.Passes);
        Assert.Empty(report.Alignment);
    }

    [Fact]
    public async Task PNoneIsANoteAndAnSpfEndingInPlusAllIsWrong()
    {
        var report = await CheckAsync(dns.Settings("watch.example"));

        var dmarc = Assert.Single(report.Records, r => r.Purpose == "DMARC");
        Assert.Equal(RecordState.Note, dmarc.State);
        Assert.StartsWith("present (p=none); p=none only watches", dmarc.Verdict, StringComparison.Ordinal);
        Assert.False(dmarc.Fails);
        var spf = Assert.Single(report.Records, r => r.Purpose == "SPF");
        Assert.Equal(RecordState.Wrong, spf.State);
        Assert.Contains("ends in +all", spf.Verdict, StringComparison.Ordinal);
        Assert.Equal(["v=spf1 a mx +all"], spf.Found);
        Assert.Equal(1, report.Failing);
    }

    [Fact]
    public void TxtValuesAreSplitIntoStringsOfAtMost255Bytes()
    {
        var value = "v=DKIM1; k=rsa; p=" + new string('A', 392);
        var parts = SetupRecord.TxtStrings(value);

        Assert.Equal([255, 155], parts.Select(p => p.Length));
        Assert.Equal(value, string.Concat(parts));
    }
}
