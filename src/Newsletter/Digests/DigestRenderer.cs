using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Clicks;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Hosting;
using Newsletter.Links;
using Newsletter.Subscribers;
using Newsletter.Votes;
using Newsletter.Templates;
using Scriban.Runtime;

namespace Newsletter.Digests;

/// <summary>
/// The one place digests are rendered, for delivery (<see cref="PrepareAsync"/>), the preview (the
/// plan, <see cref="Prepare"/>) and the web archive (<see cref="RenderWeb"/>). The bodies are
/// rendered once per issue with placeholder markers where the personal parts go; each reader's
/// mail is then those bodies with the reader's values spliced in (HTML-escaped in the HTML,
/// verbatim in the text).
/// </summary>
public sealed class DigestRenderer(
    TemplateLibrary templates, IOptions<NewsletterOptions> options, IServiceScopeFactory scopes) : IDigestRenderer
{
    public const string HtmlLayout = "digest/layout.html";
    public const string HtmlBody = "digest/digest.html";
    public const string TextBody = "digest/digest.txt";

    /// <summary>The greeting when a reader gave no name: "Hi there,".</summary>
    public const string NoName = "there";

    private readonly NewsletterOptions _options = options.Value;

    /// <summary>Loads an issue and what it carries, in its order, and prepares it for its readers.</summary>
    public Task<PreparedDigest> PrepareAsync(long issueId, CancellationToken cancellationToken) =>
        PrepareAsync(issueId, null, cancellationToken);

    /// <summary>
    /// Prepares an issue's mail for one selection of readers (Digests/Selections): these comparisons
    /// in this order, under this subject; null: what the issue carries.
    /// </summary>
    public async Task<PreparedDigest> PrepareAsync(long issueId, (IReadOnlyList<Comparison> Comparisons, string Subject)? selection, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var issue = await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken)
            ?? throw new InvalidOperationException($"No digest issue with id {issueId}");
        var whole = await ContentAsync(db, issue, cancellationToken);
        var content = await WithCommunityAsync(db, selection is { } s ? whole with { Comparisons = s.Comparisons, Subject = s.Subject } : whole, cancellationToken);
        var secrets = await scope.ServiceProvider.GetRequiredService<LinkKeys>().GetAsync(cancellationToken);
        var tracking = scope.ServiceProvider.GetRequiredService<IOptions<TrackingOptions>>().Value;
        var tracked = tracking.Clicks
            ? await IssueLinks.PrepareAsync(db, issue.Id, DigestReaderLinks.Targets(content.Comparisons, content.Community).Concat(EditorNote.Links(content.Note)), tracking, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken)
            : null;
        return Prepare(content with { Links = new DigestLinks(secrets, tracked) });
    }

    /// <summary>A digest from the plan (the preview): votes and vote links as readers get them; no issue, so no tracked links.</summary>
    public async Task<PreparedDigest> PrepareAsync(DigestContent content, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var secrets = await scope.ServiceProvider.GetRequiredService<LinkKeys>().GetAsync(cancellationToken);
        return Prepare(await WithCommunityAsync(db, content, cancellationToken) with { Links = new DigestLinks(secrets, null) });
    }

    /// <summary>The content with the readers' votes on what it carries and the recap of the issue before it.</summary>
    public async Task<DigestContent> WithCommunityAsync(NewsletterDbContext db, DigestContent content, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var minimum = scope.ServiceProvider.GetService<IOptions<VotesOptions>>()?.Value.MinimumToShow ?? new VotesOptions().MinimumToShow;
        var last = await db.IssueComparisons.AsNoTracking()
            .Where(ic => ic.Issue!.Number == content.Number - 1)
            .OrderBy(ic => ic.Position)
            .Select(ic => ic.Comparison!)
            .ToListAsync(cancellationToken);
        return content with { Community = await VoteCounts.ForDigestAsync(db, content.Comparisons, last, minimum, cancellationToken) };
    }

    /// <summary>What an issue carries, in the order it was assembled.</summary>
    public static async Task<DigestContent> ContentAsync(NewsletterDbContext db, DigestIssue issue, CancellationToken cancellationToken)
    {
        var comparisons = await db.IssueComparisons.AsNoTracking()
            .Where(ic => ic.IssueId == issue.Id)
            .OrderBy(ic => ic.Position)
            .Select(ic => ic.Comparison!)
            .ToListAsync(cancellationToken);
        return new DigestContent(issue.Number, issue.Subject, issue.StartedAt ?? issue.CreatedAt, comparisons)
        {
            Note = issue.Note,
            SubjectTemplate = issue.SubjectTemplate,
            SecondSubjectTemplate = issue.SecondSubjectTemplate,
            SubjectWinner = issue.SubjectWinner,
        };
    }

    /// <summary>Renders what all readers share, once; <see cref="PreparedDigest.RenderFor"/> adds each reader.</summary>
    public PreparedDigest Prepare(DigestContent content)
    {
        // Markers made of letters and digits pass HTML escaping unchanged; a fresh random part per
        // issue means no content can contain them by accident (or on purpose).
        var nonce = Guid.NewGuid().ToString("N");
        string[] markers = [$"DIGESTNAME{nonce}X", $"DIGESTUNSUB{nonce}X", $"DIGESTREADER{nonce}X", $"DIGESTPREFS{nonce}X"];
        var model = Model(content, isWeb: false, greetingName: markers[0], unsubscribeUrl: markers[1], readerMarker: markers[2]) with { PreferencesUrl = markers[3] };
        var html = RenderHtml(model);
        var text = templates.Render(TextBody, model);
        // A subject test's second subject, its {title} from what this mail carries, as the first's.
        var second = content.SecondSubjectTemplate is { } template
            ? DraftSubject.Fill(template, content.Number, content.Comparisons.Count > 0 ? content.Comparisons[0].Title : null)
            : null;
        return new Prepared(content.Number, content.Subject, content.SubjectTemplate, _options, content.Links?.Secrets.Reader,
            PersonalizedText.Split(html, markers), PersonalizedText.Split(text, markers))
        {
            SecondSubject = second,
            SubjectWinner = content.SubjectWinner,
        };
    }

    /// <summary>The web version (GET /issues/{number}): the same digest without anyone's personal parts.</summary>
    public string RenderWeb(DigestContent content) =>
        RenderHtml(Model(content with { Links = null }, isWeb: true, greetingName: "", unsubscribeUrl: "", readerMarker: ""));

    private string RenderHtml(DigestModel model)
    {
        var body = templates.Render(HtmlBody, model);
        var globals = new ScriptObject();
        globals.Import(model, renamer: TemplateLibrary.MemberRenamer);
        globals["content"] = new RawHtml(body);
        return templates.Render(HtmlLayout, globals);
    }

    private DigestModel Model(DigestContent content, bool isWeb, string greetingName, string unsubscribeUrl, string readerMarker)
    {
        var views = DigestReaderLinks.Apply(
            content.Comparisons.Select((c, i) => ComparisonViews.Build(c, i + 1)).ToList(), content, _options, readerMarker);
        return new DigestModel(
            NewsletterName: _options.Name,
            Number: content.Number,
            Subject: content.Subject,
            DateText: content.Date.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            Preheader: Preheader(views),
            HomeUrl: _options.Link("/"),
            ArchiveUrl: _options.Link("/issues"),
            WebVersionUrl: _options.WebVersion(content.Number),
            IsWeb: isWeb,
            GreetingName: greetingName,
            UnsubscribeUrl: unsubscribeUrl,
            Comparisons: views)
        {
            Recap = DigestReaderLinks.Recap(content, _options, readerMarker),

            Notice = content.Notice,

            // The note's links go through /r/ like the comparisons' (in the web version: straight to their targets).
            NoteHtml = string.IsNullOrWhiteSpace(content.Note) ? null
                : new RawHtml(EditorNote.ToHtml(content.Note, url => DigestReaderLinks.Href(content.Links, _options, url, readerMarker))),
            NoteText = string.IsNullOrWhiteSpace(content.Note) ? null
                : EditorNote.ToText(content.Note, url => DigestReaderLinks.Href(content.Links, _options, url, readerMarker)),
        };
    }

    /// <summary>The line mail apps show after the subject: what the lead comparison asks or says.</summary>
    private static string Preheader(List<ComparisonView> views)
    {
        if (views.Count == 0)
        {
            return "No new verdicts this week.";
        }

        var lead = views[0];
        var text = lead.Question ?? lead.Summary ?? lead.Title;
        return views.Count == 1 ? text : $"{text} Plus {views.Count - 1} more {(views.Count == 2 ? "verdict" : "verdicts")}.";
    }

    private sealed class Prepared(
        int number, string subject, string? subjectTemplate, NewsletterOptions options, ReaderSeal? seal, PersonalizedText html, PersonalizedText text) : PreparedDigest
    {
        public override int Number => number;

        public override string Subject => subject;

        public override string? SecondSubject { get; init; }

        public override string? SubjectWinner { get; init; }

        public override string SubjectFor(string? firstTitle) =>
            string.IsNullOrWhiteSpace(subjectTemplate) ? subject : DraftSubject.Fill(subjectTemplate, number, firstTitle);

        public override RenderedMail RenderFor(DigestReader reader)
        {
            var name = string.IsNullOrWhiteSpace(reader.Name) ? NoName : reader.Name.Trim();
            var unsubscribe = options.Unsubscribe(reader.UnsubscribeToken);
            var preferences = options.Preferences(reader.UnsubscribeToken);

            // One sealed reader part per mail, in every vote and tracked link (base64url: nothing to escape).
            var sealedReader = seal?.Seal(reader.UnsubscribeToken) ?? "";
            return new RenderedMail(
                html.Fill([Html.Escape(name), Html.Escape(unsubscribe), sealedReader, Html.Escape(preferences)]),
                text.Fill([name, unsubscribe, sealedReader, preferences]));
        }
    }
}
