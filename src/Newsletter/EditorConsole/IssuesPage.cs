using Newsletter.Clicks;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Inbound;
using Newsletter.Votes;

namespace Newsletter.EditorConsole;

/// <summary>
/// GET /admin/issues: every issue, newest first, with its numbers; a running send shows a live progress
/// bar (templates/console/partials/live.html polls GET /api/digests/{n}) with Pause and Resume.
/// GET /admin/issues/{n}: one issue's counts, what it carried, clicks and votes.
/// </summary>
internal static class IssuesPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/issues", ListAsync);
        console.MapGet("/issues/{number:int}", ShowAsync);
        console.MapPost("/issues/{number:int}/pause", PauseAsync);
        console.MapPost("/issues/{number:int}/resume", ResumeAsync);
        console.MapPost("/issues/{number:int}/subject-test/winner", PickWinnerAsync);
        console.MapPost("/issues/{number:int}/domains/{domain}/resume", ResumeDomainAsync);
        console.MapPost("/issues/{number:int}/domains/{domain}/cancel", CancelDomainAsync);
    }

    private static async Task<IResult> ListAsync(ConsolePages pages, IssueStats stats, DeliveryEngine engine, CancellationToken ct, int page = 1)
    {
        page = Math.Max(page, 1);
        var (rows, total) = await stats.ListAsync(page, ct);
        return pages.Page(ConsoleSection.Issues, "issues.html", "Issues", new
        {
            Issues = rows.Select(r => Model(r, engine)).ToList(),
            IsEmpty = total == 0,
            Page = page,
            Previous = page > 1 ? page - 1 : (int?)null,
            Next = page * IssueStats.PageSize < total ? page + 1 : (int?)null,
        });
    }

    private static async Task<IResult> ShowAsync(
        int number, ConsolePages pages, IssueStats stats, DeliveryEngine engine, IssueReads issues, DeliveryFigures deliveries,
        IssueReports reports, VoteReads voteReads, IssueClicks clicks, DomainPauses pauses, SubjectTests subjectTests, string? existing, string? error, string? done, CancellationToken ct)
    {
        if (await stats.GetAsync(number, ct) is not { } row)
        {
            return pages.Page(ConsoleSection.Issues, "missing.html", "No such issue", new { What = $"issue #{number}", Back = "/admin/issues" }, StatusCodes.Status404NotFound);
        }

        var comparisons = await issues.CarriedAsync(number, ct);
        var votes = await voteReads.TalliesAsync([.. comparisons.Select(c => c.Id)], ct);
        var carried = comparisons.Select(c => new
        {
            c.Title,
            c.Url,
            c.Slug,
            Tools = c.Tools.Select(t => ToolVotes(t.Name, votes.GetValueOrDefault((c.Id, t.Name), VoteTally.None))).ToList(),
        }).ToList();
        var issueId = await issues.IdAsync(number, ct);
        var links = (await clicks.ForIssueAsync(issueId, ct))
            .Select(l => new { l.Url, Clicks = Display.Number(l.Clicks), Readers = Display.Number(l.UniqueReaders) }).ToList();
        var failures = await IssueFailures.ForAsync(deliveries, reports, issueId, ct);
        var held = await deliveries.HeldForIssueAsync(issueId, ct);
        var paused = (await pauses.ListAsync(ct)).Select(p => new
        {
            p.Domain,
            p.Reason,
            p.Samples,
            Tripped = Display.Time(p.TrippedAt),
            Waiting = Display.Number(p.Waiting),
            HeldHere = Display.Number(held.GetValueOrDefault(p.Domain)),
            Path = Uri.EscapeDataString(p.Domain),
        }).ToList();
        var test = await subjectTests.IssueAsync(number, ct) is { } tested ? await subjectTests.FiguresAsync(tested, ct) : null;
        return pages.Page(ConsoleSection.Issues, "issue.html", $"Issue #{number}", new
        {
            Issue = Model(row, engine),
            SubjectTest = test is null ? null : new
            {
                Halves = new[] { ("A", "First", test.First), ("B", "Second", test.Second) }.Select(h => new
                {
                    Letter = h.Item1,
                    Name = h.Item2,
                    h.Item3.Subject,
                    Readers = Display.Number(h.Item3.Readers),
                    Sent = Display.Number(h.Item3.Sent),
                    Answered = Display.Number(h.Item3.Answered),
                    Rate = SubjectTests.Percent(h.Item3.Rate),
                    Won = test.Winner == h.Item1,
                }).ToList(),
                Rest = Display.Number(test.Rest),
                EndsAt = test.EndsAt is { } ends ? Display.Time(ends) : "when the sample's sending starts",
                test.Winner,
                test.WinnerBy,
                Decided = Display.Time(test.DecidedAt),
                test.WinningSubject,
            },
            Carried = carried,
            Links = links,
            Existing = existing is not null,
            Error = error,
            Done = done,
            Failures = new
            {
                Reader = Display.Number(failures.Reader),
                Sender = Display.Number(failures.Sender),
                IsEmpty = failures.ByReason.Count == 0,
                ByReason = failures.ByReason.Select(r => new { r.Reason, Kind = r.Sender ? "sender" : "reader", Count = Display.Number(r.Count) }).ToList(),
                ByDomain = failures.ByDomain.Select(d => new { d.Domain, Reader = Display.Number(d.Reader), Sender = Display.Number(d.Sender) }).ToList(),
                failures.Diagnostics,
            },
            Held = held.Select(h => new { Domain = h.Key, Count = Display.Number(h.Value) }).ToList(),
            Paused = paused,
        });
    }

    private static object ToolVotes(string name, VoteTally tally) =>
        new { Name = name, Ship = Display.Number(tally.Ship), Skip = Display.Number(tally.Skip), Share = tally.Text };

    /// <summary>An editor picks the subject test's winner before the wait ends: the rest goes now, with that subject.</summary>
    private static async Task<IResult> PickWinnerAsync(int number, HttpRequest request, IssueControl control, Web.Acting acting, CancellationToken ct)
    {
        var winner = request.HasFormContentType ? (await request.ReadFormAsync(ct))["winner"].ToString() : "";
        if (winner is not (SubjectTests.First or SubjectTests.Second))
        {
            return TypedResults.Redirect($"/admin/issues/{number}?error=" + Uri.EscapeDataString("Pick the first (A) or the second (B) subject."));
        }

        return await control.PickWinnerAsync(number, winner, acting.Who, ct) switch
        {
            null => TypedResults.Redirect("/admin/issues"),
            true => TypedResults.Redirect($"/admin/issues/{number}?done=" + Uri.EscapeDataString($"Subject {winner} wins: the rest of the readers get it now.")),
            false => TypedResults.Redirect($"/admin/issues/{number}?error=" + Uri.EscapeDataString("The winner was named already (the wait ended, or another editor picked); nothing changed.")),
        };
    }

    private static async Task<IResult> PauseAsync(int number, IssueControl control, CancellationToken ct) =>
        Back(number, await control.PauseAsync(number, ct), "This issue is not sending: nothing to pause.");

    private static async Task<IResult> ResumeAsync(int number, IssueControl control, CancellationToken ct) =>
        Back(number, await control.ResumeAsync(number, ct), "This issue is not paused: nothing to resume.");

    /// <summary>An editor lets a paused domain's mail go out (it goes once, in every issue that held it).</summary>
    private static async Task<IResult> ResumeDomainAsync(int number, string domain, DomainPauses pauses, DeliveryEngine engine, CancellationToken ct)
    {
        if (!await pauses.ResumeAsync(domain.Trim().ToLowerInvariant(), ct))
        {
            return TypedResults.Redirect($"/admin/issues/{number}?error=" + Uri.EscapeDataString($"{domain} is not paused."));
        }

        engine.Wake();
        return TypedResults.Redirect($"/admin/issues/{number}?done=" + Uri.EscapeDataString($"Mail to {domain} resumed: what waited goes out now."));
    }

    /// <summary>An editor drops a paused domain's waiting mail; the next issue goes there as usual.</summary>
    private static async Task<IResult> CancelDomainAsync(int number, string domain, DomainPauses pauses, CancellationToken ct) =>
        await pauses.CancelAsync(domain.Trim().ToLowerInvariant(), ct) is { } skipped
            ? TypedResults.Redirect($"/admin/issues/{number}?done=" + Uri.EscapeDataString($"Mail to {domain} cancelled: {skipped} mails skipped; the next issue goes there."))
            : TypedResults.Redirect($"/admin/issues/{number}?error=" + Uri.EscapeDataString($"{domain} is not paused."));

    private static Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult Back(int number, IssueControlResult result, string notApplicable) => result switch
    {
        IssueControlResult.NotFound => TypedResults.Redirect("/admin/issues"),
        IssueControlResult.Done => TypedResults.Redirect($"/admin/issues/{number}"),
        _ => TypedResults.Redirect($"/admin/issues/{number}?error=" + Uri.EscapeDataString(notApplicable)),
    };

    private static object Model(IssueRow r, DeliveryEngine engine)
    {
        var progress = engine.CurrentProgress is { } p && p.Number == r.Number ? p : null;
        return new
        {
            r.Number,
            r.Subject,
            r.Status,
            StatusText = Display.StatusWord(r.Status),
            r.IsRunning,
            CanPause = r.Status is "queued" or "sending" or "paused",
            CanResume = r.Status is "held" or "paused",
            Created = Display.Time(r.CreatedAt),
            Started = Display.Time(r.StartedAt),
            SentDate = Display.Date(r.StartedAt),
            SentTime = r.StartedAt is { } at ? at.UtcDateTime.ToString("HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "",
            Completed = Display.Time(r.CompletedAt),
            Readers = Display.Number(r.Readers),
            Done = Display.Number(r.Done),
            Percent = Display.Percent(r.Done, r.Readers),
            Sent = Display.Number(r.Sent),
            Failed = Display.Number(r.Failed),
            Skipped = Display.Number(r.Skipped),
            Queued = Display.Number(r.Queued),
            Bounced = Display.Number(r.Bounced),
            Complained = Display.Number(r.Complained),
            Unsubscribes = Display.Number(r.Unsubscribes),
            Clicks = Display.Number(r.Clicks),
            Votes = Display.Number(r.Votes),
            Rate = progress is null ? "—" : $"{progress.RatePerSecond:0.#} mails/s",
            WebUrl = $"/issues/{r.Number}",
        };
    }
}
