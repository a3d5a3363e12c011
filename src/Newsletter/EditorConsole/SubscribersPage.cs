using Newsletter.Subscribers;

namespace Newsletter.EditorConsole;

/// <summary>
/// GET /admin/subscribers: counts by status, the 12-week chart, search; POST /admin/subscribers/import:
/// a CSV upload and what it did; GET /admin/subscribers/{id}: one reader's history.
/// </summary>
internal static class SubscribersPage
{
    public const int PageSize = 50;

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/subscribers", ShowAsync);
        console.MapGet("/subscribers/{id:long}", ReaderAsync);
        console.MapPost("/subscribers/import", ImportAsync);
    }

    private static async Task<IResult> ShowAsync(
        ConsolePages pages, SubscriberStats stats, SubscriberDirectory directory, Subscribers.Preferences.ReaderChoiceCounts choiceCounts, CancellationToken ct, string? q = null, string? status = null, int page = 1) =>
        page < 1
            // As the API answers (400), rather than page 1 under an address that says otherwise.
            ? await PageAsync(pages, stats, choiceCounts, directory, q, status, 1, import: null, error: "There is no such page: pages start at 1.", StatusCodes.Status400BadRequest, ct)
            : await PageAsync(pages, stats, choiceCounts, directory, q, status, page, import: null, error: null, StatusCodes.Status200OK, ct);

    /// <summary>The file of a multipart form, read by hand like every console form (the editor policy refuses one posted from another origin).</summary>
    private static async Task<IResult> ImportAsync(
        HttpRequest request, SubscriberImport import, ConsolePages pages, SubscriberStats stats, SubscriberDirectory directory, Subscribers.Preferences.ReaderChoiceCounts choiceCounts, CancellationToken ct)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        if (form?.Files.Count is null or 0 || form.Files[0].Length == 0)
        {
            return await PageAsync(pages, stats, choiceCounts, directory, null, null, 1, null, "Choose a CSV file to import.", StatusCodes.Status400BadRequest, ct);
        }

        var file = form.Files[0];
        try
        {
            await using var csv = file.OpenReadStream();
            var result = await import.ImportAsync(csv, "console upload: " + Path.GetFileName(file.FileName), ct);
            return await PageAsync(pages, stats, choiceCounts, directory, null, null, 1, result, null, StatusCodes.Status200OK, ct);
        }
        catch (SubscriberCsvException e)
        {
            return await PageAsync(pages, stats, choiceCounts, directory, null, null, 1, null, "The CSV cannot be imported: " + e.Message, StatusCodes.Status400BadRequest, ct);
        }
    }

    private static async Task<IResult> ReaderAsync(long id, ConsolePages pages, SubscriberStats stats, Subscribers.Preferences.ReaderChoiceCounts choices, CancellationToken ct)
    {
        if (await stats.ReaderAsync(id, ct) is not { } reader)
        {
            return pages.Page(ConsoleSection.Subscribers, "missing.html", "No such reader", new { What = "this reader (erased, or never here)", Back = "/admin/subscribers" }, StatusCodes.Status404NotFound);
        }

        var history = await stats.HistoryAsync(id, ct);
        var chosen = await choices.ForAsync(id, ct);
        var lastFailure = history.FirstOrDefault(h => h.Error is not null);
        var stopped = reader.Status switch
        {
            SubscriberStatus.Unsubscribed => $"Unsubscribed on {Display.Time(reader.UnsubscribedAt)}" +
                (history.FirstOrDefault(h => h.SentAt <= reader.UnsubscribedAt) is { } last ? $", after issue #{last.Number}." : "."),
            SubscriberStatus.Bounced => $"Bounced on {Display.Time(reader.BouncedAt)}" + (lastFailure is null ? "." : $": {lastFailure.Error}"),
            SubscriberStatus.Pending => "Has not confirmed yet" + (reader.ConfirmationSentAt is { } at ? $" (confirmation mailed {Display.Time(at)})." : "."),
            _ => null,
        };
        return pages.Page(ConsoleSection.Subscribers, "reader.html", reader.Email, new
        {
            reader.Email,
            reader.Name,
            Status = SubscriberCsv.StatusName(reader.Status),
            Created = Display.Time(reader.CreatedAt),
            Consent = Display.Time(reader.ConsentAt),
            reader.ConsentIp,
            reader.ConsentSource,
            Confirmed = Display.Time(reader.ConfirmedAt),
            Stopped = stopped,
            Received = history.Count(h => h.Delivery == "received"),
            Frequency = chosen.Frequency.ToString().ToLowerInvariant(),
            Topics = chosen.Topics.Count == 0 ? "every topic" : string.Join(", ", chosen.Topics),
            History = history.Select(h => new { h.Number, h.Subject, h.Delivery, Sent = Display.Time(h.SentAt), h.Error }).ToList(),
        });
    }

    private static async Task<IResult> PageAsync(
        ConsolePages pages, SubscriberStats stats, Subscribers.Preferences.ReaderChoiceCounts choiceCounts, SubscriberDirectory directory, string? q, string? status, int page,
        ImportResult? import, string? error, int code, CancellationToken ct)
    {
        var counts = await stats.CountsAsync(ct);
        var choices = await choiceCounts.CountAsync(ct);
        var weeks = await stats.GrowthAsync(ct);
        SubscriberStatus? filter = SubscriberCsv.TryParseStatus(status ?? "", out var parsed) ? parsed : null;
        var found = await directory.ListAsync(filter, q, page, PageSize, ct);
        var ids = await stats.IdsAsync(found.Items.Select(i => i.Email), ct);
        return pages.Page(ConsoleSection.Subscribers, "subscribers.html", "Subscribers", new
        {
            Counts = Enum.GetValues<SubscriberStatus>().Select(s => new { Status = SubscriberCsv.StatusName(s), Count = Display.Number(counts[s]) }).ToList(),
            Total = Display.Number(counts.Values.Sum()),
            Choices = new
            {
                Weekly = Display.Number(choices.Weekly),
                Monthly = Display.Number(choices.Monthly),
                EveryTopic = Display.Number(choices.EveryTopic),
                Topics = choices.Topics.Select(t => new { t.Topic, Readers = Display.Number(t.Readers) }).ToList(),
            },
            Chart = GrowthChart.Svg(weeks),
            Weeks = weeks.Select(w => new
            {
                Week = w.Monday.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
                Confirmed = Display.Number(w.Confirmed),
                Unsubscribed = Display.Number(w.Unsubscribed),
                Bounced = Display.Number(w.Bounced),
            }).ToList(),
            Q = q,
            StatusFilter = filter is { } f ? SubscriberCsv.StatusName(f) : "",
            Statuses = Enum.GetValues<SubscriberStatus>().Select(SubscriberCsv.StatusName).ToList(),
            Searched = !string.IsNullOrWhiteSpace(q) || filter is not null,
            Found = Display.Number(found.Total),
            Readers = found.Items.Select(i => new
            {
                i.Email,
                i.Name,
                i.Status,
                Since = Display.Date(i.ConfirmedAt ?? i.CreatedAt),
                Href = ids.TryGetValue(i.Email, out var id) ? $"/admin/subscribers/{id}" : null,
            }).ToList(),
            Previous = page > 1 ? page - 1 : (int?)null,
            // In 64 bits: page * PageSize overflows an int near the last int page, and page + 1 would wrap.
            Next = (long)page * PageSize < found.Total && page < int.MaxValue ? page + 1 : (int?)null,
            ImportResult = import is null ? null : new
            {
                Added = Display.Number(import.Added),
                Updated = Display.Number(import.Updated),
                Unchanged = Display.Number(import.Unchanged),
                InvalidCount = Display.Number(import.Invalid.Count),
                Invalid = import.Invalid.Take(100).Select(i => new { i.Line, i.Reason }).ToList(),
                More = import.Invalid.Count > 100,
            },
            Error = error,
        }, code);
    }
}
