using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Newsletter.Inbound;

namespace Newsletter.SendingSetup;

/// <summary>
/// The records the configuration asks for (DKIM, DMARC with its report authorisation, SPF, the
/// bounce MX), each with what DNS answers now. One place for these rules: `doctor`, the console's
/// setup page and GET /api/setup all show this report.
/// </summary>
public sealed class SetupCheck(SendingPlan plan, DnsLookup dns, IOptions<NewsletterOptions> newsletter, IOptions<InboundOptions> inbound)
{
    private static readonly PublicSuffixList Psl = PublicSuffixList.Default;

    public async Task<SetupReport> CheckAsync(CancellationToken cancellationToken)
    {
        var records = new List<SetupRecord>();
        string? dnsError = null;
        foreach (var check in Checks())
        {
            if (dnsError is not null)
            {
                // One clear line for the whole report, not one timeout per record.
                records.Add(check.Expected with { State = RecordState.Unknown, Verdict = "not checked: DNS cannot be reached" });
                continue;
            }

            try
            {
                records.AddRange(await check.Run(cancellationToken));
            }
            catch (DnsUnreachableException e)
            {
                dnsError = e.Message;
                records.Add(check.Expected with { State = RecordState.Unknown, Verdict = "not checked: DNS cannot be reached" });
            }
        }

        return new SetupReport(newsletter.Value.From, plan.FromDomain, plan.Setup.RelayName, dns.Resolver, plan.AlignmentProblems(), records, dnsError);
    }

    private sealed record Check(SetupRecord Expected, Func<CancellationToken, Task<IEnumerable<SetupRecord>>> Run);

    private IEnumerable<Check> Checks()
    {
        yield return DkimCheck();
        yield return DmarcCheck();
        yield return SpfCheck();
        if (plan.BounceDomain is not null)
        {
            yield return MxCheck();
        }
    }

    private Check DkimCheck()
    {
        if (!plan.DkimOn)
        {
            var off = new SetupRecord("DKIM", $"SELECTOR._domainkey.{plan.FromDomain}", "TXT", [], true, RecordState.Missing,
                "DKIM is off: make a key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim.pem), set Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyPath, and this shows the record to publish", []);
            return new Check(off, _ => Task.FromResult<IEnumerable<SetupRecord>>([off]));
        }

        var name = $"{plan.DkimSelector}._domainkey.{plan.DkimDomain}";
        var expected = new SetupRecord("DKIM", name, "TXT", SetupRecord.TxtStrings($"v=DKIM1; k=rsa; p={plan.DkimPublicKey}"), true, RecordState.Missing, "", []);
        return new Check(expected, async ct =>
        {
            var found = await dns.TxtAsync(name, ct);
            return [found.Count switch
            {
                0 => expected with { Verdict = $"missing: no TXT record at {name}" },
                > 1 => expected with { State = RecordState.Wrong, Found = found, Verdict = $"wrong: {found.Count} TXT records at {name}; a verifier may take either" },
                _ => DkimVerdict(expected with { Found = found }, found[0]),
            }];
        });
    }

    private SetupRecord DkimVerdict(SetupRecord record, string published)
    {
        var key = DmarcTags.Parse(published).GetValueOrDefault("p");
        if (string.IsNullOrEmpty(key))
        {
            return record with { State = RecordState.Wrong, Verdict = "wrong: the record has no key (an empty p= means the key was revoked)" };
        }

        return SameRsaKey(string.Concat(key.Where(c => !char.IsWhiteSpace(c))), plan.DkimPublicKey!)
            ? record with { State = RecordState.Right, Verdict = "present and right" }
            : record with { State = RecordState.Wrong, Verdict = "wrong: the key published is not ours (another key pair than Dkim:PrivateKeyPath): every signature fails" };
    }

    /// <summary>p= as SubjectPublicKeyInfo (what opendkim-genkey publishes) or a bare RSAPublicKey (RFC 6376's wording): the same key either way.</summary>
    private static bool SameRsaKey(string published, string ours)
    {
        try
        {
            var bytes = Convert.FromBase64String(published);
            using var theirs = RSA.Create();
            try
            {
                theirs.ImportSubjectPublicKeyInfo(bytes, out _);
            }
            catch (CryptographicException)
            {
                theirs.ImportRSAPublicKey(bytes, out _);
            }

            using var mine = RSA.Create();
            mine.ImportSubjectPublicKeyInfo(Convert.FromBase64String(ours), out _);
            var a = theirs.ExportParameters(false);
            var b = mine.ExportParameters(false);
            return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private Check DmarcCheck()
    {
        var name = "_dmarc." + plan.FromDomain;
        var value = plan.BounceAddress is { } rua
            ? $"v=DMARC1; p=none; rua=mailto:{rua}; adkim=r; aspf=r"
            : "v=DMARC1; p=quarantine; adkim=r; aspf=r";
        var expected = new SetupRecord("DMARC", name, "TXT", SetupRecord.TxtStrings(value), true, RecordState.Missing, "", []);
        return new Check(expected, async ct =>
        {
            var records = new List<SetupRecord>();
            var found = Dmarc(await dns.TxtAsync(name, ct));
            var foundAt = plan.FromDomain;
            if (found.Count == 0 && plan.FromOrganization != plan.FromDomain)
            {
                // RFC 7489 6.6.3: no record at the From domain, so the organisational domain's applies.
                foundAt = plan.FromOrganization;
                found = Dmarc(await dns.TxtAsync("_dmarc." + foundAt, ct));
            }

            records.Add(found.Count switch
            {
                0 => expected with { Verdict = foundAt == plan.FromDomain ? $"missing: no DMARC record at {name}" : $"missing: no DMARC record at {name} nor at _dmarc.{foundAt}" },
                > 1 => expected with { State = RecordState.Wrong, Found = found, Verdict = $"wrong: {found.Count} DMARC records at _dmarc.{foundAt}; receivers apply none of them" },
                _ => DmarcVerdict(expected with { Found = found }, DmarcTags.Parse(found[0]), foundAt),
            });

            // RFC 7489 7.1: reports to another organisational domain need that domain's consent.
            var ruaDomains = (found.Count == 1 ? DmarcTags.RuaDomains(found[0]) : [])
                .Concat(plan.BounceDomain is { } bounce ? [bounce] : [])
                .Where(d => !Psl.Aligned(d, foundAt))
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var ruaDomain in ruaDomains)
            {
                var authorization = $"{foundAt}._report._dmarc.{ruaDomain}";
                var consent = new SetupRecord("DMARC reports", authorization, "TXT", ["v=DMARC1"], true, RecordState.Missing, "", []);
                var answer = Dmarc(await dns.TxtAsync(authorization, ct));
                records.Add(answer.Count > 0
                    ? consent with { State = RecordState.Right, Found = answer, Verdict = $"present and right: {ruaDomain} accepts reports about {foundAt}" }
                    : consent with { Verdict = $"missing: reports about {foundAt} go to {ruaDomain}, another organisational domain, which must publish this or receivers send none (RFC 7489 7.1)" });
            }

            return records;
        });
    }

    private SetupRecord DmarcVerdict(SetupRecord record, IReadOnlyDictionary<string, string> tags, string foundAt)
    {
        // At the organisational domain, sp= (when there) is the policy for its subdomains.
        var policy = foundAt != plan.FromDomain && tags.TryGetValue("sp", out var sp) ? sp : tags.GetValueOrDefault("p");
        var notes = new List<string>();
        if (foundAt != plan.FromDomain)
        {
            notes.Add($"found at the organisational domain _dmarc.{foundAt}");
        }

        if (plan.BounceAddress is { } bounce && !DmarcTags.Rua(tags).Any(a => a.Equals(bounce, StringComparison.OrdinalIgnoreCase)))
        {
            notes.Add($"aggregate reports do not come to the bounce mailbox: add rua=mailto:{bounce} to read them in the console (Sending setup)");
        }

        switch (policy?.ToLowerInvariant())
        {
            case "quarantine" or "reject":
                return notes.Count == 0
                    ? record with { State = RecordState.Right, Verdict = $"present and right (p={policy})" }
                    : record with { State = RecordState.Note, Verdict = $"present (p={policy}); " + string.Join("; ", notes) };
            case "none":
                notes.Insert(0, "p=none only watches: mail that fails DMARC is still delivered; move to p=quarantine once the reports show all your mail passing");
                return record with { State = RecordState.Note, Verdict = "present (p=none); " + string.Join("; ", notes) };
            default:
                return record with { State = RecordState.Wrong, Verdict = $"wrong: no valid policy (p={policy ?? "missing"}): receivers ignore the record" };
        }
    }

    private static List<string> Dmarc(IReadOnlyList<string> txt) => [.. txt.Where(t => t.StartsWith("v=DMARC1", StringComparison.Ordinal))];

    private Check SpfCheck()
    {
        var name = plan.ReturnPathDomain;
        var value = $"v=spf1 {plan.SpfMechanism()} ~all";
        var required = !plan.Setup.RewritesEnvelopeSender;
        var expected = new SetupRecord("SPF", name, "TXT", SetupRecord.TxtStrings(value), required, required ? RecordState.Missing : RecordState.NotNeeded, "", []);
        var why = required
            ? $"for the Return-Path domain ({(plan.BounceAddress is null ? "the From domain: Bounces:ReturnPath is empty" : "Bounces:ReturnPath")}); {plan.SpfMechanism()} names {plan.Setup.RelayName}"
            : $"{plan.Setup.RelayName} rewrites the envelope sender to its own domain, whose SPF it publishes; publish this only at a custom MAIL FROM domain set up with {plan.Setup.RelayName}";
        return new Check(expected with { Verdict = why }, async ct =>
        {
            var spf = (await dns.TxtAsync(name, ct)).Where(t => t.Equals("v=spf1", StringComparison.OrdinalIgnoreCase) || t.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase)).ToList();
            var record = expected with { Found = spf };
            if (spf.Count == 0)
            {
                return [record with { Verdict = (required ? "missing: " : "none (not needed): ") + why }];
            }

            if (spf.Count > 1)
            {
                return [record with { State = RecordState.Wrong, Verdict = $"wrong: {spf.Count} SPF records at {name}: receivers answer permerror and SPF fails for every mail; merge them into one" }];
            }

            var terms = spf[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (terms[^1] is "all" or "+all" || terms[^1].Equals("+all", StringComparison.OrdinalIgnoreCase))
            {
                return [record with { State = RecordState.Wrong, Verdict = $"wrong: the SPF record ends in {terms[^1]}: anyone may send as {name}; end it with ~all or -all" }];
            }

            if (plan.Setup.ProviderSpfInclude is { } include && !terms.Contains(include, StringComparer.OrdinalIgnoreCase))
            {
                return [record with { State = RecordState.Note, Verdict = $"present, without {include}: " + why }];
            }

            return [record with { State = required ? RecordState.Right : RecordState.NotNeeded, Verdict = "present and right (it must name the addresses your mail leaves from)" }];
        });
    }

    private Check MxCheck()
    {
        var name = plan.BounceDomain!;
        if (plan.Setup.RewritesEnvelopeSender)
        {
            var notNeeded = new SetupRecord("MX", name, "MX", [], false, RecordState.NotNeeded,
                $"not needed: {plan.Setup.RelayName} takes the bounces (post them to POST /api/bounces)", []);
            return new Check(notNeeded, _ => Task.FromResult<IEnumerable<SetupRecord>>([notNeeded]));
        }

        var expected = new SetupRecord("MX", name, "MX", [$"10 {MailHost(name)}."], true, RecordState.Missing, "", []);
        return new Check(expected, async ct =>
        {
            var mx = await dns.MxAsync(name, ct);
            return [mx.Count == 0
                ? expected with { Verdict = $"missing: no MX for {name}: bounces to {plan.BounceAddress} cannot be delivered" }
                : expected with { State = RecordState.Right, Found = mx, Verdict = "present: bounces can reach the mailbox" }];
        });
    }

    /// <summary>The host that receives the bounce domain's mail: Inbound:Host when it is a name, else a placeholder to replace.</summary>
    private string MailHost(string domain)
    {
        var host = inbound.Value.Host?.Trim();
        return !string.IsNullOrEmpty(host) && !IPAddress.TryParse(host, out _) && host.Contains('.', StringComparison.Ordinal)
            ? host.ToLowerInvariant()
            : "mail." + domain;
    }
}
