using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// Delivery's answer to Digests' subject test: per half, its readers and the ones whose mail went
/// out (with the key their links carry, so Clicks can tell their clicks), and the rest's size.
/// </summary>
public sealed class SubjectTestSample(NewsletterDbContext db) : ISubjectTestSample
{
    public async Task<Digests.SubjectTestSample> ForIssueAsync(long issueId, CancellationToken cancellationToken)
    {
        var counts = await db.Deliveries.AsNoTracking().Where(d => d.IssueId == issueId && d.Variant != null)
            .GroupBy(d => d.Variant).Select(g => new { Variant = g.Key!, Count = g.Count() })
            .ToDictionaryAsync(g => g.Variant, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var sent = await db.Deliveries.AsNoTracking()
            .Where(d => d.IssueId == issueId && d.Status == DeliveryStatus.Sent
                && (d.Variant == SubjectTestVariants.First || d.Variant == SubjectTestVariants.Second))
            .Join(db.Subscribers, d => d.SubscriberId, s => s.Id, (d, s) => new { d.Variant, s.Id, s.UnsubscribeToken })
            .ToListAsync(cancellationToken);
        return new Digests.SubjectTestSample(
            counts.GetValueOrDefault(SubjectTestVariants.First),
            [.. sent.Where(r => r.Variant == SubjectTestVariants.First).Select(r => new SampleReader(r.Id, r.UnsubscribeToken))],
            counts.GetValueOrDefault(SubjectTestVariants.Second),
            [.. sent.Where(r => r.Variant == SubjectTestVariants.Second).Select(r => new SampleReader(r.Id, r.UnsubscribeToken))],
            counts.GetValueOrDefault(SubjectTestVariants.Rest));
    }
}
