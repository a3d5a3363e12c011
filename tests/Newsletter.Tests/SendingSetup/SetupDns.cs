using System.Security.Cryptography;
using Newsletter.SendingSetup;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.SendingSetup;

/// <summary>
/// One dnsmasq for a test class, with a zone per case under ".example": right.example publishes
/// everything right; otherkey.example a DKIM key of another key pair; nodmarc.example no DMARC;
/// twospf.example two SPF records; fallback.example DMARC at the organisational domain only, with
/// reports to other domains; watch.example p=none and an SPF ending in +all. Each zone's sender signs with <see cref="KeyFile"/>.
/// </summary>
public sealed class SetupDns : IAsyncLifetime
{
    public const string Selector = "s1";

    public Dnsmasq Server { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("newsletter-setup-").FullName;

    public string KeyFile => Path.Combine(Folder, "dkim.pem");

    public async Task InitializeAsync()
    {
        using var ours = RSA.Create(2048);
        using var another = RSA.Create(2048);
        await File.WriteAllTextAsync(KeyFile, ours.ExportRSAPrivateKeyPem());
        var ourKey = Dkim(ours);
        Server = await Dnsmasq.StartAsync(["example"],
        [
            .. Zone("right.example", ourKey),
            .. Zone("otherkey.example", Dkim(another)),
            .. Zone("nodmarc.example", ourKey, dmarc: false),
            .. Zone("twospf.example", ourKey),
            Dnsmasq.Txt("twospf.example", "v=spf1 include:_spf.google.com ~all"),

            // The From domain is news.fallback.example; DMARC only at its organisational domain.
            .. Zone("fallback.example", ourKey, dmarc: false),
            Dnsmasq.Txt("_dmarc.fallback.example", "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@reports.example,mailto:agg@unwilling.example"),
            Dnsmasq.Txt("fallback.example._report._dmarc.reports.example", "v=DMARC1"),

            // p=none, and an SPF record that lets anyone send.
            Dnsmasq.Txt($"{Selector}._domainkey.watch.example", ourKey),
            Dnsmasq.Txt("_dmarc.watch.example", "v=DMARC1; p=none; rua=mailto:bounces@watch.example"),
            Dnsmasq.Txt("watch.example", "v=spf1 a mx +all"),
            Dnsmasq.Mx("watch.example", "mail.watch.example"),
        ]);
    }

    /// <summary>The DKIM key record as a DNS operator pastes it: split into strings of at most 255 bytes.</summary>
    private static string[] Dkim(RSA key) => [.. SetupRecord.TxtStrings("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()))];

    private static IEnumerable<string> Zone(string domain, string[] dkim, bool dmarc = true)
    {
        yield return Dnsmasq.Txt($"{Selector}._domainkey.{domain}", dkim);
        if (dmarc)
        {
            yield return Dnsmasq.Txt("_dmarc." + domain, $"v=DMARC1; p=quarantine; rua=mailto:bounces@{domain}");
        }

        yield return Dnsmasq.Txt(domain, "v=spf1 mx ~all");
        yield return Dnsmasq.Mx(domain, "mail." + domain);
    }

    /// <summary>The settings of a sender on <paramref name="domain"/>: From, DKIM and Return-Path all there.</summary>
    public Dictionary<string, string?> Settings(string domain) => new()
    {
        ["Newsletter:From"] = $"Verdicts <digest@{domain}>",
        ["Dkim:Domain"] = domain,
        ["Dkim:Selector"] = Selector,
        ["Dkim:PrivateKeyPath"] = KeyFile,
        ["Bounces:ReturnPath"] = "bounces@" + domain,
        ["Dns:Server"] = Server.Server,
        ["Dns:Timeout"] = "00:00:02",
    };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
