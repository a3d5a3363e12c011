using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>
/// A subject test's variants, fixed on the deliveries in the transaction that makes the issue: a
/// random sample of Digest:SubjectTestShare of them (at least Digest:SubjectTestMinimum per half)
/// split in two halves, "A" (first subject) and "B" (second), and the rest "R", which the claim
/// leaves alone until the issue names a winner. Set-based statements (ORDER BY random() on both
/// databases); nothing list-sized is loaded.
/// </summary>
internal static class SubjectTestVariants
{
    public const string First = SubjectTests.First;
    public const string Second = SubjectTests.Second;
    public const string Rest = "R";

    /// <summary>The readers per half for this many recipients; null: too few for two halves and a rest (no test).</summary>
    public static int? HalfSize(int recipients, DigestOptions options)
    {
        var half = Math.Max((int)Math.Round(recipients * options.SubjectTestShare / 2, MidpointRounding.AwayFromZero), options.SubjectTestMinimum);
        return 2 * half < recipients ? half : null;
    }

    /// <summary>Marks the issue's deliveries (already snapshotted) A, B and R. Returns the half size, or null: no test.</summary>
    public static async Task<int?> FixAsync(NewsletterDbContext db, long issueId, int recipients, DigestOptions options, CancellationToken cancellationToken)
    {
        if (HalfSize(recipients, options) is not { } half)
        {
            return null;
        }

        await MarkRandomAsync(db, issueId, half, First, cancellationToken);
        await MarkRandomAsync(db, issueId, half, Second, cancellationToken);
        await db.Deliveries.Where(d => d.IssueId == issueId && d.Variant == null)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Variant, Rest), cancellationToken);
        return half;
    }

    private static Task<int> MarkRandomAsync(NewsletterDbContext db, long issueId, int count, string variant, CancellationToken cancellationToken)
    {
        var sample = db.Deliveries.Where(d => d.IssueId == issueId && d.Variant == null)
            .OrderBy(d => EF.Functions.Random()).Take(count).Select(d => d.Id);
        return db.Deliveries.Where(d => sample.Contains(d.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Variant, variant), cancellationToken);
    }
}
