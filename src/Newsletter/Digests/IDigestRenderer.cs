using Newsletter.Mail;

namespace Newsletter.Digests;

/// <summary>
/// What delivery needs from digests: an issue prepared once (everything all readers share is
/// rendered here), then one cheap personal render per recipient.
/// </summary>
public interface IDigestRenderer
{
    Task<PreparedDigest> PrepareAsync(long issueId, CancellationToken cancellationToken);
}

/// <summary>A reader as the personal parts of a digest need them.</summary>
public sealed record DigestReader(string Email, string? Name, string UnsubscribeToken);

/// <summary>Both bodies of one reader's digest mail (text on demand: <see cref="MailBody.ToString"/>).</summary>
public sealed record RenderedMail(MailBody Html, MailBody Text);

/// <summary>An issue ready to send: shared parts rendered; <see cref="RenderFor"/> is thread-safe.</summary>
public abstract class PreparedDigest
{
    public abstract int Number { get; }

    /// <summary>The issue's subject, its {title} filled with the issue's first comparison (the archive, the feed, a preview).</summary>
    public abstract string Subject { get; }

    /// <summary>
    /// The subject of one reader's mail: the editors' {title} is the first comparison <em>that mail</em>
    /// carries. Hook for per-reader content (topics): a mail that carries a subset passes its own
    /// first title; today every mail carries the whole issue, so <see cref="Subject"/> is the same.
    /// </summary>
    public virtual string SubjectFor(string? firstTitle) => Subject;

    /// <summary>A subject test's second subject for this digest's mails; null: the issue runs no test.</summary>
    public virtual string? SecondSubject { get => null; init { } }

    /// <summary>The subject test's winner when this digest was prepared: "A", "B", or null (none named yet).</summary>
    public virtual string? SubjectWinner { get => null; init { } }

    /// <summary>
    /// The subject of a mail of this subject test variant (fixed on its delivery when the issue was
    /// made): "A" the first, "B" the second, "R" (the rest) the winner's; null (no test) the first.
    /// </summary>
    public string SubjectOfVariant(string? variant) => variant switch
    {
        null or SubjectTests.First => Subject,
        SubjectTests.Second => SecondSubject ?? Subject,
        _ => SubjectWinner switch
        {
            SubjectTests.First => Subject,
            SubjectTests.Second => SecondSubject ?? Subject,
            _ => throw new InvalidOperationException($"Issue #{Number}: a mail of the subject test's rest was built before the winner was named"),
        },
    };

    public abstract RenderedMail RenderFor(DigestReader reader);

    /// <summary>
    /// The digest this reader's mail is made of: this one, unless readers' choices fixed another
    /// selection for them when the issue was made (Digests/Selections).
    /// </summary>
    public virtual PreparedDigest SelectedFor(long? subscriberId) => this;
}
