using Newsletter.Clicks;
using Newsletter.Comparisons;
using Newsletter.Hosting;
using Newsletter.Links;
using Newsletter.Votes;

namespace Newsletter.Digests;

/// <summary>
/// What a digest needs to make reader links: the link secrets, and for an issue (not a preview)
/// the stored id of each link target it tracks (null: links go straight to their targets).
/// </summary>
public sealed record DigestLinks(LinkSecrets Secrets, IReadOnlyDictionary<string, long>? Tracked);

/// <summary>
/// Adds the readers' side to the views: each tool's community figure (<see cref="CommunityVotes"/>
/// decides it), "Ship it"/"Skip it" links, and tracked comparison links. Every reader link ends in
/// <paramref name="readerMarker"/>, the one per-reader splice, so rendering per reader stays a copy.
/// Unsubscribe, confirm, web-version and vote links are never tracked.
/// </summary>
internal static class DigestReaderLinks
{
    public static List<ComparisonView> Apply(
        List<ComparisonView> views, DigestContent content, NewsletterOptions options, string readerMarker)
    {
        var links = content.Links;
        var result = new List<ComparisonView>(views.Count);
        for (var i = 0; i < views.Count; i++)
        {
            var comparison = content.Comparisons[i];
            var view = views[i];
            var tools = new List<ToolView>(view.Tools.Count);
            for (var j = 0; j < view.Tools.Count; j++)
            {
                var source = comparison.Tools[j];
                tools.Add(view.Tools[j] with
                {
                    CommunityShipPercent = content.Community.ShipPercent(comparison.Id, source),
                    ShipUrl = links is null ? null : VoteUrl(links, options, comparison, source, ship: true, readerMarker),
                    SkipUrl = links is null ? null : VoteUrl(links, options, comparison, source, ship: false, readerMarker),
                });
            }

            result.Add(view with { Url = Href(links, options, comparison.Url, readerMarker), Tools = tools });
        }

        return result;
    }

    public static List<RecapComparison> Recap(DigestContent content, NewsletterOptions options, string readerMarker) =>
        [.. content.Community.Recap.Select(r => r with { Url = Href(content.Links, options, r.Url, readerMarker) })];

    /// <summary>All link targets a digest may track: its comparisons and the recap's.</summary>
    public static IEnumerable<string> Targets(IReadOnlyList<Comparison> comparisons, CommunityVotes community) =>
        comparisons.Select(c => c.Url).Concat(community.Recap.Select(r => r.Url));

    /// <summary>The link a reader gets for <paramref name="url"/>: through /r/ when the issue tracks it, else the target itself.</summary>
    public static string Href(DigestLinks? links, NewsletterOptions options, string url, string readerMarker) =>
        links?.Tracked is { } tracked && tracked.TryGetValue(url, out var id)
            ? options.Link(ClickToken.Prefix(links.Secrets, id)) + readerMarker
            : url;

    private static string VoteUrl(DigestLinks links, NewsletterOptions options, Comparison comparison, ComparisonTool tool, bool ship, string readerMarker) =>
        options.Link("/vote?token=" + VoteToken.ChoicePart(links.Secrets, new VoteChoice(comparison.Id, tool.Name, ship))) + readerMarker;
}
