using System.Security.Cryptography;
using System.ServiceModel.Syndication;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Newsletter.Data;
using Newsletter.Hosting;
using Newsletter.Subscribers;

namespace Newsletter.Digests;

/// <summary>
/// GET /issues/feed.atom: the public archive as an Atom 1.0 feed (RFC 4287), written by
/// System.ServiceModel.Syndication. Each entry is one issue that has gone out, newest first, with
/// its web version (the same page as /issues/{number}, which holds no reader's links) as HTML
/// content. Absolute URLs come from Newsletter:PublicBaseUrl. Answers conditional GETs: the ETag is
/// a hash of the feed's bytes, Last-Modified its newest entry, and a match gets 304 with no body.
/// </summary>
public static class ArchiveFeed
{
    public const string Path = "/issues/feed.atom";

    /// <summary>Feed readers poll; the newest issues are what they need, and each entry is a whole issue.</summary>
    public const int MaxEntries = 20;

    public const string ContentType = "application/atom+xml; charset=utf-8";

    public static IEndpointRouteBuilder MapArchiveFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ServeAsync);
        return app;
    }

    /// <summary>The URL the archive pages name in their &lt;link rel="alternate"&gt;.</summary>
    public static string Url(NewsletterOptions options) => options.Link(Path);

    private static async Task<IResult> ServeAsync(
        HttpContext http, NewsletterDbContext db, DigestRenderer renderer, IOptions<NewsletterOptions> options, CancellationToken ct)
    {
        var (bytes, updated) = await BuildAsync(db, renderer, options.Value, ct);
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(bytes)[..16]) + "\"");
        // HTTP dates have whole seconds: the entry's time cut to its second, so a client's copy compares equal.
        var lastModified = updated is { } u ? DateTimeOffset.FromUnixTimeSeconds(u.ToUnixTimeSeconds()) : (DateTimeOffset?)null;

        var response = http.Response;
        response.Headers.ETag = etag.ToString();
        if (lastModified is { } modified)
        {
            response.Headers.LastModified = HeaderUtilities.FormatDate(modified);
        }

        // Readers check again each time they poll; the ETag makes that cheap for both sides.
        response.Headers.CacheControl = "no-cache";
        return NotModified(http.Request, etag, lastModified)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(bytes, ContentType);
    }

    /// <summary>RFC 9110 §13.2.2: If-None-Match decides when present; else If-Modified-Since.</summary>
    private static bool NotModified(HttpRequest request, EntityTagHeaderValue etag, DateTimeOffset? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
        }

        return lastModified is { } modified
            && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && modified <= since;
    }

    /// <summary>The feed's bytes (UTF-8) and the time of its newest entry (null: no issue yet).</summary>
    public static async Task<(byte[] Bytes, DateTimeOffset? Updated)> BuildAsync(
        NewsletterDbContext db, DigestRenderer renderer, NewsletterOptions options, CancellationToken ct)
    {
        var issues = await db.Issues.AsNoTracking().Public()
            .OrderByDescending(i => i.Number)
            .Take(MaxEntries)
            .ToListAsync(ct);

        var items = new List<SyndicationItem>(issues.Count);
        foreach (var issue in issues)
        {
            // Issues made before the snapshot existed are rendered from their comparisons as they are now (as the archive page does).
            var html = issue.WebHtml ?? renderer.RenderWeb(await DigestRenderer.ContentAsync(db, issue, ct));
            var url = options.WebVersion(issue.Number);
            var item = new SyndicationItem
            {
                Id = url,
                Title = new TextSyndicationContent(issue.Subject),
                LastUpdatedTime = Updated(issue),
                PublishDate = issue.StartedAt ?? issue.CreatedAt,
                Content = new TextSyndicationContent(html, TextSyndicationContentKind.Html),
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(url), "text/html"));
            items.Add(item);
        }

        DateTimeOffset? updated = issues.Count == 0 ? null : issues.Max(Updated);
        var archive = options.Link("/issues");
        var feed = new SyndicationFeed(items)
        {
            // The archive's address: it stays the same for the life of the list (RFC 4287 §4.2.6).
            Id = archive,
            Title = new TextSyndicationContent(options.Name),
            Description = new TextSyndicationContent($"Every issue of {options.Name}, as it went out."),
            // Atom requires <updated>; a feed with no issue yet says the epoch rather than a time that changes on every poll.
            LastUpdatedTime = updated ?? DateTimeOffset.UnixEpoch,
        };
        feed.Authors.Add(new SyndicationPerson { Name = options.Name, Uri = options.Link("/") });
        feed.Links.Add(SyndicationLink.CreateSelfLink(new Uri(Url(options)), "application/atom+xml"));
        feed.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(archive), "text/html"));

        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
        }

        return (stream.ToArray(), updated);
    }

    /// <summary>When an issue's entry last changed: it went public when its send started, and its web version is fixed from then on.</summary>
    private static DateTimeOffset Updated(DigestIssue issue) => issue.StartedAt ?? issue.CreatedAt;
}
