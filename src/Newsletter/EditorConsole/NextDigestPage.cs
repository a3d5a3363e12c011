using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Inbound;
using Newsletter.Subscribers;

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
        console.MapPost("/send", SendNowAsync);
    }

    private static async Task<IResult> ShowAsync(
        ConsolePages pages, DigestAssembler assembler, NewsletterDbContext db, Digests.Selections.SelectionPreview forecast, IOptions<DigestOptions> digest,
        IOptions<NewsletterOptions> newsletter, InboundStatus inbound, string? sent, CancellationToken ct) =>
        await PageAsync(pages, assembler, db, forecast, inbound, digest.Value, newsletter.Value,
            string.IsNullOrEmpty(sent) ? null : $"Preview sent to {sent}.", null, StatusCodes.Status200OK, ct);

    private static async Task<IResult> SendPreviewAsync(
        HttpRequest request, ConsolePages pages, DigestAssembler assembler, DigestPreviewer previewer, NewsletterDbContext db, Digests.Selections.SelectionPreview forecast,
        InboundStatus inbound, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        var field = request.HasFormContentType ? (await request.ReadFormAsync(ct))["to"].ToString() : "";
        var to = field.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var recipients = previewer.Recipients(to);
        if (!recipients.IsValid)
        {
            var error = string.Join(" ", recipients.Errors.Select(e => $"{FieldName(e.Key)} {string.Join(", ", e.Value)}."));
            return await PageAsync(pages, assembler, db, forecast, inbound, digest.Value, newsletter.Value, null, error, StatusCodes.Status400BadRequest, ct);
        }

        try
        {
            await previewer.SendAsync(recipients.Addresses, ct);
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
        {
            return await PageAsync(pages, assembler, db, forecast, inbound, digest.Value, newsletter.Value, null,
                "The preview could not be sent: " + e.Message, StatusCodes.Status502BadGateway, ct);
        }

        // Post/redirect/get: a reload does not send the preview again.
        return TypedResults.Redirect("/admin?sent=" + Uri.EscapeDataString(string.Join(", ", recipients.Addresses.Select(a => a.Address))));
    }

    /// <summary>As POST /api/digests/send: the issue of the current schedule period, made once, then sent by the engine.</summary>
    private static async Task<IResult> SendNowAsync(
        IssueMaker maker, SendSlots slots, DeliveryEngine engine, ConsolePages pages, DigestAssembler assembler, NewsletterDbContext db, Digests.Selections.SelectionPreview forecast,
        InboundStatus inbound, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        var made = await maker.MakeAsync(slots.Manual(), ct);
        if (made.Issue is null)
        {
            return await PageAsync(pages, assembler, db, forecast, inbound, digest.Value, newsletter.Value, null,
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
        ConsolePages pages, DigestAssembler assembler, NewsletterDbContext db, Digests.Selections.SelectionPreview forecast, InboundStatus inbound, DigestOptions digest,
        NewsletterOptions newsletter, string? message, string? error, int status, CancellationToken ct)
    {
        var plan = await assembler.PlanAsync(ct);
        var selections = await forecast.ForecastAsync(ct);
        var readers = await db.Subscribers.CountAsync(s => s.Status == SubscriberStatus.Confirmed, ct);
        var running = await db.Issues.Where(i => i.Status != DigestIssueStatus.Sent).OrderByDescending(i => i.Number)
            .Select(i => (int?)i.Number).FirstOrDefaultAsync(ct);
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
            Message = message,
            Error = error,
        }, status);
    }
}
