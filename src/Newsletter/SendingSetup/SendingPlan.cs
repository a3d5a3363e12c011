using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;
using Newsletter.Mail;

namespace Newsletter.SendingSetup;

/// <summary>
/// What the configuration says about the domains a mail carries: the From domain (which DMARC
/// protects), the DKIM domain and key, the Return-Path (envelope sender) domain, and the relay.
/// Read from the options only: no DNS here.
/// </summary>
public sealed class SendingPlan
{
    public SendingPlan(
        IOptions<NewsletterOptions> newsletter,
        IOptions<DkimOptions> dkim,
        IOptions<BouncesOptions> bounces,
        IOptions<SmtpOptions> smtp,
        IOptions<SendingSetupOptions> setup,
        IHostEnvironment environment)
    {
        FromDomain = MailboxAddress.Parse(newsletter.Value.From).Domain.ToLowerInvariant();
        FromOrganization = PublicSuffixList.Default.OrganizationalDomain(FromDomain);
        Setup = setup.Value;
        SmtpHost = smtp.Value.UsesPickupDirectory ? null : smtp.Value.Host!.Trim();
        var d = dkim.Value;
        if (d.Enabled)
        {
            DkimDomain = d.Domain!.Trim().ToLowerInvariant();
            DkimSelector = d.Selector?.Trim();
            DkimPublicKey = PublicKey(Path.Combine(environment.ContentRootPath, d.PrivateKeyPath ?? ""));
        }

        var b = bounces.Value;
        BounceAddress = b.Enabled ? b.ReturnPath!.Trim() : null;
        ReturnPathDomain = (b.Enabled ? b.Domain : FromDomain).ToLowerInvariant();
    }

    public string FromDomain { get; }

    public string FromOrganization { get; }

    public SendingSetupOptions Setup { get; }

    /// <summary>Null when mails go to the pickup folder (no Smtp:Host).</summary>
    public string? SmtpHost { get; }

    public string? DkimDomain { get; }

    public string? DkimSelector { get; }

    /// <summary>The base64 SubjectPublicKeyInfo of the signing key: DKIM's p= value. Null when DKIM is off or the key does not load.</summary>
    public string? DkimPublicKey { get; }

    public bool DkimOn => DkimDomain is not null && DkimSelector is not null && DkimPublicKey is not null;

    /// <summary>The bounce mailbox (Bounces:ReturnPath); null when bounces go to the From address.</summary>
    public string? BounceAddress { get; }

    /// <summary>The envelope sender's domain as we send it (a provider may rewrite it: <see cref="SendingSetupOptions.RewritesEnvelopeSender"/>).</summary>
    public string ReturnPathDomain { get; }

    public string? BounceDomain => BounceAddress is null ? null : ReturnPathDomain;

    /// <summary>
    /// One line per way the three domains fail DMARC's relaxed alignment (RFC 7489 3.1: the same
    /// organisational domain), or DKIM being off. Empty when a mail can pass DMARC both ways.
    /// </summary>
    public IReadOnlyList<string> AlignmentProblems()
    {
        var psl = PublicSuffixList.Default;
        var problems = new List<string>();
        if (!DkimOn)
        {
            problems.Add("DKIM is off (Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyPath are not all set): DMARC can pass only through SPF, and Gmail and Yahoo require DKIM from bulk senders");
        }
        else if (!psl.Aligned(DkimDomain!, FromDomain))
        {
            problems.Add($"DKIM domain {DkimDomain} (Dkim:Domain) is not aligned with the From domain {FromDomain} (Newsletter:From): organisational domains {psl.OrganizationalDomain(DkimDomain!)} and {FromOrganization} differ, so DMARC does not count the signature");
        }

        if (!Setup.RewritesEnvelopeSender && !psl.Aligned(ReturnPathDomain, FromDomain))
        {
            problems.Add($"Return-Path domain {ReturnPathDomain} (Bounces:ReturnPath) is not aligned with the From domain {FromDomain} (Newsletter:From): organisational domains {psl.OrganizationalDomain(ReturnPathDomain)} and {FromOrganization} differ, so DMARC does not count SPF");
        }

        return problems;
    }

    /// <summary>The SPF mechanism that names the sending server: the provider's include, or our MTA's address or name.</summary>
    public string SpfMechanism()
    {
        if (Setup.ProviderSpfInclude is { } include)
        {
            return include;
        }

        if (SmtpHost is null || SmtpHost.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "mx";
        }

        if (IPAddress.TryParse(SmtpHost, out var ip))
        {
            return IPAddress.IsLoopback(ip) ? "mx"
                : ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6:" + ip : "ip4:" + ip;
        }

        return "a:" + SmtpHost.ToLowerInvariant();
    }

    private static string? PublicKey(string path)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(path));
            return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null; // DkimOptions' validation has already named the key file at start.
        }
    }
}
