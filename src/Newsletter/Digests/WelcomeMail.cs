using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Hosting;
using Newsletter.Mail;
using Newsletter.Subscribers;
using Newsletter.Templates;

namespace Newsletter.Digests;

/// <summary>The welcome mail as templates/welcome.html and .txt see it (snake_case there).</summary>
public sealed record WelcomeModel(
    string SiteName,
    string? Name,
    string Email,
    int? IssueNumber,
    string? IssueUrl,
    IReadOnlyList<ComparisonView> Comparisons,
    string PreferencesUrl,
    string UnsubscribeUrl,
    string HomeUrl,
    string ArchiveUrl)
{
    public bool HasIssue => IssueNumber is not null;

    public bool IsEmpty => Comparisons.Count == 0;

    public string Rule => new('-', TextWrap.Width);
}

/// <summary>
/// The mail a reader gets when they confirm: the latest issue that went out (its comparisons as
/// the digest shows them, without vote or tracked links), or before the first issue the newest
/// published comparisons; their preference link and the unsubscribe link, with the List-Unsubscribe
/// headers of a digest. Rendered per reader: it is one mail per confirmation.
/// </summary>
public sealed class WelcomeMail(
    NewsletterDbContext db,
    TemplateLibrary templates,
    MailFactory mails,
    IOptions<NewsletterOptions> newsletter,
    IOptions<DigestOptions> digest,
    TimeProvider clock) : IWelcomeMail
{
    public const string HtmlTemplate = "welcome.html";
    public const string TextTemplate = "welcome.txt";

    public async Task<MimeMessage> BuildAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        var options = newsletter.Value;
        var (issue, comparisons) = await ContentAsync(cancellationToken);
        var model = new WelcomeModel(
            SiteName: options.Name,
            Name: string.IsNullOrWhiteSpace(subscriber.Name) ? null : subscriber.Name.Trim(),
            Email: subscriber.Email,
            IssueNumber: issue,
            IssueUrl: issue is { } number ? options.WebVersion(number) : null,
            Comparisons: [.. comparisons.Select((c, i) => ComparisonViews.Build(c, i + 1))],
            PreferencesUrl: options.Preferences(subscriber.UnsubscribeToken),
            UnsubscribeUrl: options.Unsubscribe(subscriber.UnsubscribeToken),
            HomeUrl: options.Link("/"),
            ArchiveUrl: options.Link("/issues"));
        return mails.Build(new OutgoingMail(
            new MailboxAddress(subscriber.Name ?? "", subscriber.Email),
            $"Welcome to {options.Name}",
            templates.Render(HtmlTemplate, model),
            templates.Render(TextTemplate, model))
        {
            // The same for every try of one welcome: a mail that went out twice (a crash between the
            // send and its record) is one message to the reader's mail app.
            MessageIdKey = string.Create(CultureInfo.InvariantCulture,
                $"welcome.subscriber-{subscriber.Id}.{subscriber.ConfirmedAt?.ToUnixTimeMilliseconds() ?? 0}"),
            Unsubscribe = new UnsubscribeLinks(options.Unsubscribe(subscriber.UnsubscribeToken), options.UnsubscribeMailto(subscriber.UnsubscribeToken)),
        });
    }

    /// <summary>The latest public issue's number and comparisons; before the first (or after an empty one), the newest comparisons.</summary>
    private async Task<(int? Issue, IReadOnlyList<Comparison> Comparisons)> ContentAsync(CancellationToken cancellationToken)
    {
        var latest = await db.Issues.AsNoTracking().Public().OrderByDescending(i => i.Number).FirstOrDefaultAsync(cancellationToken);
        if (latest is not null)
        {
            var content = await DigestRenderer.ContentAsync(db, latest, cancellationToken);
            if (content.Comparisons.Count > 0)
            {
                return (latest.Number, content.Comparisons);
            }
        }

        var now = clock.GetUtcNow();
        var newest = await db.Comparisons.AsNoTracking()
            .Where(c => c.PublishedAt <= now)
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id)
            .Take(digest.Value.MaxComparisons)
            .ToListAsync(cancellationToken);
        return (null, newest);
    }
}
