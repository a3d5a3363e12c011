using System.Globalization;
using Microsoft.Extensions.Options;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Inbound;
using Newsletter.Subscribers;
using Newsletter.Templates;

namespace Newsletter.EditorConsole;

/// <summary>
/// GET /admin: what the next digest carries, its preview, "send me a preview", and "Send now" behind a
/// confirmation that names how many readers it goes to.
/// </summary>
internal static class NextDigestPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/", ShowAsync);
        console.MapPost("/next/preview", SendPreviewAsync);
        console.MapPost("/next/draft", SaveDraftAsync);
        console.MapPost("/send", SendNowAsync);
    }

    private static async Task<IResult> ShowAsync(
        ConsolePages pages, DigestAssembler assembler, SubscriberCounts subscribers, IssueReads issues, Digests.Selections.SelectionPreview forecast, IOptions<DigestOptions> digest,
        IOptions<NewsletterOptions> newsletter, InboundStatus inbound, string? sent, string? saved, CancellationToken ct) =>
        await PageAsync(pages, assembler, subscribers, issues, forecast, inbound, digest.Value, newsletter.Value,
            !string.IsNullOrEmpty(sent) ? $"Preview sent to {sent}." : saved == "1" ? "Draft saved. The preview shows it." : null, null, StatusCodes.Status200OK, ct);

    /// <summary>
    /// Saves the draft from the page's form: the order from the position fields (ties keep the page's
    /// order), held-back from the checkboxes. A draft someone else saved first is not overwritten: the
    /// page says so (409), shows the draft as it is now and, beside it, what this editor wrote.
    /// </summary>
    private static async Task<IResult> SaveDraftAsync(
        HttpRequest request, DigestDrafts drafts, ConsolePages pages, DigestAssembler assembler, SubscriberCounts subscribers, IssueReads issues, Digests.Selections.SelectionPreview forecast,
        InboundStatus inbound, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : FormCollection.Empty;
        var held = form["held"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var order = form.Keys.Where(k => k.StartsWith("pos-", StringComparison.Ordinal))
            .Select((k, i) => (Slug: k[4..], Index: i, Position: int.TryParse(form[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : int.MaxValue))
            .OrderBy(x => x.Position).ThenBy(x => x.Index)
            .Select(x => x.Slug).Where(slug => !held.Contains(slug, StringComparer.Ordinal)).ToList();
        var version = int.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        var change = new DraftChange(form["note"], form["subject"], order, held, version) { SecondSubject = form["secondSubject"] };
        var saved = await drafts.SaveAsync(change, version, ct);
        return saved.Outcome switch
        {
            DraftSaveOutcome.Saved => TypedResults.Redirect("/admin?saved=1#draft"),
            DraftSaveOutcome.Invalid => await PageAsync(pages, assembler, subscribers, issues, forecast, inbound, digest.Value, newsletter.Value, null, null,
                StatusCodes.Status400BadRequest, ct, new DraftForm("The draft was not saved:", [.. saved.Errors.SelectMany(e => e.Value.Select(m => $"{DraftField(e.Key)} {m}."))], null)),
            _ => await PageAsync(pages, assembler, subscribers, issues, forecast, inbound, digest.Value, newsletter.Value, null, null, StatusCodes.Status409Conflict, ct,
                new DraftForm("The draft changed since you opened it: another editor saved it, or an issue was made from it. Nothing was saved. Below is the draft as it is now; what you wrote is kept beside it.", [], change)),
        };
    }

    /// <summary>
    /// Text for a textarea or pre: escaped, its line breaks as &amp;#10;, because the layout indents
    /// each line of a page it wraps, and an editor's note must come back exactly as it was saved.
    /// </summary>
    private static RawHtml MultiLine(string? text) => new(Html.Escape(text).ReplaceLineEndings("&#10;"));

    private static string DraftField(string key) => key switch
    {
        "note" => "The editor's note",
        "subject" => "The subject",
        "secondSubject" => "The second subject",
        _ when key.StartsWith("held", StringComparison.Ordinal) => "A held-back comparison",
        _ => "A comparison in the order",
    };

    private static async Task<IResult> SendPreviewAsync(
        HttpRequest request, ConsolePages pages, DigestAssembler assembler, DigestPreviewer previewer, SubscriberCounts subscribers, IssueReads issues, Digests.Selections.SelectionPreview forecast,
        InboundStatus inbound, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        var field = request.HasFormContentType ? (await request.ReadFormAsync(ct))["to"].ToString() : "";
        var to = field.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var recipients = await previewer.RecipientsAsync(to, ct);
        if (!recipients.IsValid)
        {
            var error = string.Join(" ", recipients.Errors.Select(e => $"{FieldName(e.Key)} {string.Join(", ", e.Value)}."));
            return await PageAsync(pages, assembler, subscribers, issues, forecast, inbound, digest.Value, newsletter.Value, null, error, StatusCodes.Status400BadRequest, ct);
        }

        try
        {
            await previewer.SendAsync(recipients.Addresses, ct);
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
        {
            return await PageAsync(pages, assembler, subscribers, issues, forecast, inbound, digest.Value, newsletter.Value, null,
                "The preview could not be sent: " + e.Message, StatusCodes.Status502BadGateway, ct);
        }

        // Post/redirect/get: a reload does not send the preview again.
        return TypedResults.Redirect("/admin?sent=" + Uri.EscapeDataString(string.Join(", ", recipients.Addresses.Select(a => a.Address))));
    }

    /// <summary>As POST /api/digests/send: the issue of the current schedule period, made once, then sent by the engine.</summary>
    private static async Task<IResult> SendNowAsync(
        IssueMaker maker, SendSlots slots, DeliveryEngine engine, ConsolePages pages, DigestAssembler assembler, SubscriberCounts subscribers, IssueReads issues, Digests.Selections.SelectionPreview forecast,
        InboundStatus inbound, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        var made = await maker.MakeAsync(slots.Manual(), ct);
        if (made.Issue is null)
        {
            return await PageAsync(pages, assembler, subscribers, issues, forecast, inbound, digest.Value, newsletter.Value, null,
                "Nothing to send: no comparison was published since the last issue, and Digest:SendWhenEmpty is off.", StatusCodes.Status409Conflict, ct);
        }

        engine.Wake();
        return TypedResults.Redirect($"/admin/issues/{made.Issue.Number}" + (made.Created ? "" : "?existing=1"));
    }

    private static string FieldName(string key) =>
        key.StartsWith("to[", StringComparison.Ordinal)
            ? "Address " + (int.Parse(key[3..^1], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture)
            : "The address field";

    private static async Task<IResult> PageAsync(
        ConsolePages pages, DigestAssembler assembler, SubscriberCounts subscribers, IssueReads issues, Digests.Selections.SelectionPreview forecast, InboundStatus inbound, DigestOptions digest,
        NewsletterOptions newsletter, string? message, string? error, int status, CancellationToken ct, DraftForm? draftForm = null)
    {
        var plan = await assembler.PlanAsync(ct);
        var selections = await forecast.ForecastAsync(ct);
        var heldSlugs = plan.Held.Select(c => c.Slug).ToHashSet(StringComparer.Ordinal);
        var readers = await subscribers.ConfirmedAsync(ct);
        var running = await issues.NewestUnsentAsync(ct);
        return pages.Page(ConsoleSection.Next, "next.html", "Next digest", new
        {
            plan.Number,
            plan.Subject,
            plan.IsEmpty,
            plan.WouldSend,
            Waiting = Display.Number(plan.Waiting),
            HasWaiting = plan.Waiting > 0,
            digest.MaxComparisons,
            Comparisons = plan.Comparisons.Select(c => new { c.Title, c.Url, c.Slug, Published = Display.Time(c.PublishedAt) }).ToList(),
            Readers = Display.Number(readers),
            ReaderWord = readers == 1 ? "reader" : "readers",
            Running = running,

            // Readers' choices: who gets what from the next issue, per selection (Digests/Selections).
            GetSomething = Display.Number(selections.GetSomething),
            NothingForThem = Display.Number(selections.NothingForThem),
            Selections = selections.Selections.Select(sel => new
            {
                Readers = Display.Number(sel.Readers),
                Carries = sel.Titles.Count == 0 ? "an empty issue" : string.Join(" · ", sel.Titles),
                Whole = sel.IsWholeIssue,
            }).ToList(),

            // As of the mailbox's last check (the Inbound job): mail it could not match waits for a person.
            Review = inbound.Last?.Check.ReviewFolderCount ?? 0,
            ReviewMails = (inbound.Last?.Check.ReviewSamples ?? []).Select(m => new
            {
                Date = m.Date is { } d ? Display.Time(d) : "",
                m.From,
                m.Subject,
            }).ToList(),
            Editors = string.Join(", ", newsletter.Editors),
            Draft = new { Note = MultiLine(plan.Draft.Note), Subject = plan.Draft.Subject ?? "", SecondSubject = plan.Draft.SecondSubject ?? "", plan.Draft.Version },
            SubjectTest = new
            {
                Share = digest.SubjectTestShare.ToString("P0", CultureInfo.InvariantCulture),
                Wait = Display.Duration(digest.SubjectTestWait),
                digest.SubjectTestMinimum,
            },
            GeneratedSubject = assembler.Subject(plan.Number, plan.Comparisons),
            DraftComparisons = plan.Comparisons.Concat(plan.Held).Select((c, i) => new { c.Slug, c.Title, Position = i + 1, Held = heldSlugs.Contains(c.Slug) }).ToList(),
            DraftError = draftForm?.Error,
            DraftProblems = draftForm?.Problems ?? [],
            Unsaved = draftForm?.Unsaved is { } unsaved ? new { Note = MultiLine(unsaved.Note), Subject = unsaved.Subject ?? "", SecondSubject = unsaved.SecondSubject ?? "" } : null,
            Message = message,
            Error = error,
        }, status);
    }
}

/// <summary>What the page says about a draft save that did not happen, and what the editor wrote (kept when the draft changed under them).</summary>
internal sealed record DraftForm(string Error, IReadOnlyList<string> Problems, DraftChange? Unsaved);
