using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Digests;

/// <summary>The draft as GET /api/digests/next/draft shows it; <see cref="Version"/> is also its ETag.</summary>
public sealed record DraftView(string? Note, string? Subject, IReadOnlyList<string> Order, IReadOnlyList<string> Held, int Version, DateTimeOffset? SavedAt)
{
    /// <summary>The subject test's second subject (null: no test): see Digest:SubjectTestShare.</summary>
    public string? SecondSubject { get; init; }

    public static DraftView From(DigestDraft d) =>
        new(d.Note, d.Subject, DigestDraft.Slugs(d.Order), DigestDraft.Slugs(d.Held), d.Version, d.SavedAt) { SecondSubject = d.SecondSubject };

    public string ETag => $"\"{Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
}

/// <summary>
/// PUT /api/digests/next/draft: the whole draft (what is left out is emptied). <see cref="Version"/>
/// is the version the editor read (or send it as If-Match).
/// </summary>
public sealed record DraftChange(string? Note, string? Subject, List<string>? Order, List<string>? Held, int? Version)
{
    /// <summary>A second subject: the issue goes first to a sample split between the two (a subject test).</summary>
    public string? SecondSubject { get; init; }
}

public enum DraftSaveOutcome
{
    Saved,
    Invalid,

    /// <summary>Someone saved (or an issue was made) since the editor read the draft: nothing was written.</summary>
    Changed,
}

public sealed record DraftSaved(DraftSaveOutcome Outcome, DraftView Draft, Dictionary<string, string[]> Errors);

/// <summary>
/// Reads and saves the editors' draft. A save is one UPDATE guarded by the version the editor read,
/// so of two editors saving at once the second changes nothing and is told; nothing is lost silently.
/// </summary>
public sealed class DigestDrafts(NewsletterDbContext db, TimeProvider clock)
{
    public async Task<DraftView> GetAsync(CancellationToken cancellationToken) => DraftView.From(await ReadAsync(cancellationToken));

    public async Task<DraftSaved> SaveAsync(DraftChange change, int expectedVersion, CancellationToken cancellationToken)
    {
        // A browser posts a textarea's line breaks as CRLF: kept as LF, so the note reads the same everywhere.
        var note = string.IsNullOrWhiteSpace(change.Note) ? null : change.Note.Trim().ReplaceLineEndings("\n");
        var subject = string.IsNullOrWhiteSpace(change.Subject) ? null : change.Subject.Trim();
        var second = string.IsNullOrWhiteSpace(change.SecondSubject) ? null : change.SecondSubject.Trim();
        var order = (change.Order ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var held = (change.Held ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (EditorNote.Problems(note) is { Count: > 0 } noteProblems)
        {
            errors["note"] = [.. noteProblems];
        }

        if (DraftSubject.Problems(subject) is { Count: > 0 } subjectProblems)
        {
            errors["subject"] = [.. subjectProblems];
        }

        if (DraftSubject.Problems(second) is { Count: > 0 } secondProblems)
        {
            errors["secondSubject"] = [.. secondProblems];
        }
        else if (second is not null && string.Equals(second, subject, StringComparison.Ordinal))
        {
            errors["secondSubject"] = ["is the same as the first subject: a subject test needs two different ones (or leave it empty)"];
        }

        await CheckSlugsAsync(errors, "order", order, cancellationToken);
        await CheckSlugsAsync(errors, "held", held, cancellationToken);
        if (errors.Count > 0)
        {
            return new DraftSaved(DraftSaveOutcome.Invalid, await GetAsync(cancellationToken), errors);
        }

        var now = clock.GetUtcNow();
        var orderText = DigestDraft.Join(order);
        var heldText = DigestDraft.Join(held);
        var saved = await db.Drafts
            .Where(d => d.Id == DigestDraft.TheDraft && d.Version == expectedVersion)
            .ExecuteUpdateAsync(u => u
                .SetProperty(d => d.Note, note)
                .SetProperty(d => d.Subject, subject)
                .SetProperty(d => d.SecondSubject, second)
                .SetProperty(d => d.Order, orderText)
                .SetProperty(d => d.Held, heldText)
                .SetProperty(d => d.SavedAt, now)
                .SetProperty(d => d.Version, d => d.Version + 1), cancellationToken);
        return new DraftSaved(saved == 1 ? DraftSaveOutcome.Saved : DraftSaveOutcome.Changed, await GetAsync(cancellationToken), errors);
    }

    private async Task<DigestDraft> ReadAsync(CancellationToken cancellationToken) =>
        await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == DigestDraft.TheDraft, cancellationToken)
        ?? throw new InvalidOperationException("The DigestDrafts table has no draft row: run the migrations");

    /// <summary>Each slug must name a comparison no issue carries yet (errors keyed "order[1]").</summary>
    private async Task CheckSlugsAsync(Dictionary<string, string[]> errors, string field, List<string> slugs, CancellationToken cancellationToken)
    {
        if (slugs.Count == 0)
        {
            return;
        }

        var open = await db.Comparisons
            .Where(c => slugs.Contains(c.Slug) && !db.Set<DigestIssueComparison>().Any(ic => ic.ComparisonId == c.Id))
            .Select(c => c.Slug).ToListAsync(cancellationToken);
        for (var i = 0; i < slugs.Count; i++)
        {
            if (!open.Contains(slugs[i], StringComparer.Ordinal))
            {
                errors[$"{field}[{i}]"] = [$"names \"{slugs[i]}\", which is no comparison waiting for an issue (unknown, or already carried)"];
            }
        }
    }
}
