using Newsletter.Delivery;
using Newsletter.Inbound;

namespace Newsletter.EditorConsole;

/// <summary>One issue's failures as the console shows them: by reason, by recipient domain, sender problems apart, a few diagnostic lines.</summary>
internal sealed record IssueFailureFigures(
    IReadOnlyList<(string Reason, bool Sender, int Count)> ByReason,
    IReadOnlyList<(string Domain, int Reader, int Sender)> ByDomain,
    int Reader,
    int Sender,
    IReadOnlyList<string> Diagnostics);

/// <summary>
/// Reads an issue's failures from both places they are kept: the send path's refusals on the deliveries
/// (reason, server's words) and the reports that came back later (mailbox, webhook). Complaints count as
/// the reader's; unsubscribe mails are not failures.
/// </summary>
internal static class IssueFailures
{
    /// <summary>The providers most readers use, each under one name; any other domain is "other".</summary>
    private static readonly (string Name, string[] Domains)[] Providers =
    [
        ("gmail.com", ["gmail.com", "googlemail.com"]),
        ("outlook.com / hotmail.com", ["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "outlook.de", "hotmail.fr"]),
        ("yahoo.com", ["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de"]),
        ("icloud.com", ["icloud.com", "me.com", "mac.com"]),
        ("aol.com", ["aol.com"]),
        ("gmx / web.de", ["gmx.de", "gmx.net", "gmx.com", "web.de"]),
    ];

    public static async Task<IssueFailureFigures> ForAsync(DeliveryFigures deliveries, IssueReports reports, long issueId, CancellationToken ct)
    {
        var sent = await deliveries.FailuresAsync(issueId, ct);
        var reported = await reports.FailuresAsync(issueId, ct);
        var all = sent.Select(d => (d.Reason, Domain: d.Email is null ? null : DomainPauses.DomainOf(d.Email), Line: d.LastError))
            .Concat(reported.Select(r => (r.Reason, r.Domain, Line: r.Diagnostic)))
            .ToList();

        var byReason = all.GroupBy(f => f.Reason, StringComparer.Ordinal)
            .Select(g => (g.Key, IsSender(g.Key), g.Count()))
            .OrderByDescending(g => g.Item3).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var byDomain = all.GroupBy(f => Group(f.Domain), StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(f => !IsSender(f.Reason)), g.Count(f => IsSender(f.Reason))))
            .OrderBy(g => g.Key == "other").ThenByDescending(g => g.Item2 + g.Item3).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var lines = all.Where(f => !string.IsNullOrWhiteSpace(f.Line)).Select(f => $"{f.Reason}: {f.Line}").Distinct(StringComparer.Ordinal).Take(5).ToList();
        var senders = all.Count(f => IsSender(f.Reason));
        return new IssueFailureFigures(byReason, byDomain, all.Count - senders, senders, lines);
    }

    private static bool IsSender(string reason) => DomainGuard.SenderReasons.Contains(reason, StringComparer.Ordinal);

    private static string Group(string? domain)
    {
        var d = domain?.Trim().ToLowerInvariant();
        return Providers.FirstOrDefault(p => p.Domains.Contains(d, StringComparer.Ordinal)).Name ?? "other";
    }
}
