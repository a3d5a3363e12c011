using System.Globalization;
using Newsletter.Comparisons;
using Newsletter.Votes;

namespace Newsletter.Digests;

/// <summary>What one digest is made of, whether it comes from a made issue or from the plan (preview).</summary>
public sealed record DigestContent(int Number, string Subject, DateTimeOffset Date, IReadOnlyList<Comparison> Comparisons)
{
    /// <summary>The readers' votes: community figures and last issue's recap (none: the documents' figures, no recap).</summary>
    public CommunityVotes Community { get; init; } = CommunityVotes.None;

    /// <summary>Vote and tracked links (null: none, as in the web version).</summary>
    public DigestLinks? Links { get; init; }

    /// <summary>The editor's note (Markdown), shown above the comparisons; null: none.</summary>
    public string? Note { get; init; }

    /// <summary>The editors' subject with {number} and {title}; null: <see cref="Subject"/> as generated.</summary>
    public string? SubjectTemplate { get; init; }

    /// <summary>A subject test's second subject with {number} and {title}; null: no test.</summary>
    public string? SecondSubjectTemplate { get; init; }

    /// <summary>The subject test's winner ("A", "B"; null: none named yet), for the rest's mails.</summary>
    public string? SubjectWinner { get; init; }

    /// <summary>Only in the preview mailed by Digest:PreviewBefore: when the issue goes out and where its draft is edited.</summary>
    public PreviewNotice? Notice { get; init; }
}

/// <summary>"This is the preview of the issue that goes out on …: edit the draft in the console."</summary>
public sealed record PreviewNotice(string SendsAt, string DraftUrl);

/// <summary>
/// The digest as the templates see it (members are snake_case there). Everything a template would
/// otherwise compute is decided here, once: bar widths, the reviewer split, the standout quote, "—".
/// The personal parts (greeting name, unsubscribe link) are placeholders filled per reader.
/// </summary>
public sealed record DigestModel(
    string NewsletterName,
    int Number,
    string Subject,
    string DateText,
    string Preheader,
    string HomeUrl,
    string ArchiveUrl,
    string WebVersionUrl,
    bool IsWeb,
    string GreetingName,
    string UnsubscribeUrl,
    IReadOnlyList<ComparisonView> Comparisons)
{
    public int Count => Comparisons.Count;

    public bool IsEmpty => Comparisons.Count == 0;

    /// <summary>"1 new verdict", "3 new verdicts".</summary>
    public string CountText => Count == 1 ? "1 new verdict" : $"{Count.ToString(CultureInfo.InvariantCulture)} new verdicts";

    public string Rule => new('-', TextWrap.Width);

    public string DoubleRule => new('=', TextWrap.Width);

    /// <summary>"Community verdicts": last issue's comparisons with the readers' votes (empty: nobody voted).</summary>
    public IReadOnlyList<RecapComparison> Recap { get; init; } = [];

    public bool HasRecap => Recap.Count > 0;

    /// <summary>The reader's preference page (topics, how often, their data), beside the unsubscribe link; empty on the web.</summary>
    public string PreferencesUrl { get; init; } = "";

    /// <summary>The editor's note rendered for the HTML part (our markup, every character of theirs escaped); null: none.</summary>
    public Templates.RawHtml? NoteHtml { get; init; }

    /// <summary>The editor's note as plain text, links written "text (url)"; null: none.</summary>
    public string? NoteText { get; init; }

    public bool HasNote => NoteHtml is not null;

    public PreviewNotice? Notice { get; init; }
}

public sealed record ComparisonView(
    int Position,
    string Title,
    string? Question,
    string? Summary,
    string Url,
    IReadOnlyList<ToolView> Tools,
    QuoteView? Quote)
{
    /// <summary>Each tool's column share in the side-by-side row (2 tools: 50, 3: 33, 4: 25).</summary>
    public int ColumnPercent => Tools.Count == 0 ? 100 : 100 / Tools.Count;

    public string SummaryWrapped => TextWrap.Wrap(Summary, "");
}

public sealed record ToolView(
    string Name,
    string? Category,
    string? Tagline,
    string? Entry,
    int? PanelShipPercent,
    int? CommunityShipPercent,
    int ShipReviews,
    int Reviews)
{
    public bool HasPanel => PanelShipPercent is not null;

    /// <summary>Width of the bar's filled cell in percent (0 when there is no panel verdict).</summary>
    public int BarFill => Math.Clamp(PanelShipPercent ?? 0, 0, 100);

    /// <summary>Width of the bar's empty cell in percent.</summary>
    public int BarRest => 100 - BarFill;

    public string PanelText => PanelShipPercent is { } p ? $"{p.ToString(CultureInfo.InvariantCulture)}% ship" : "no panel verdict";

    /// <summary>The community vote, "—" when nobody voted yet.</summary>
    public string CommunityText => CommunityShipPercent is { } p ? $"{p.ToString(CultureInfo.InvariantCulture)}% ship" : "—";

    /// <summary>"3 of 4 lenses ship", "no reviews".</summary>
    public string SplitText => Reviews == 0
        ? "no reviews"
        : $"{ShipReviews.ToString(CultureInfo.InvariantCulture)} of {Reviews.ToString(CultureInfo.InvariantCulture)} {(Reviews == 1 ? "lens ships" : "lenses ship")}";

    /// <summary>"Developer Tools · Free", without empty parts.</summary>
    public string Meta => string.Join(" · ", new[] { Category, Entry }.Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>The panel verdict as a text bar of 20 cells: "[##########----------]".</summary>
    public string TextBar => PanelShipPercent is { } p
        ? "[" + new string('#', (p * 20 + 50) / 100) + new string('-', 20 - ((p * 20 + 50) / 100)) + "]"
        : "[ no panel verdict ]";

    public string TaglineWrapped => TextWrap.Wrap(Tagline, "  ");

    /// <summary>The reader's "Ship it" vote link (null in the web version).</summary>
    public string? ShipUrl { get; init; }

    public string? SkipUrl { get; init; }
}

public sealed record QuoteView(string Text, string Tool, string? Lens, string Verdict)
{
    /// <summary>"Developer experience on Mistral 4B Edge: ship".</summary>
    public string Attribution => string.IsNullOrWhiteSpace(Lens) ? $"{Tool}: {Verdict}" : $"{Lens} on {Tool}: {Verdict}";

    public string TextWrapped => TextWrap.Wrap("\u201C" + Text + "\u201D", "  ");
}

/// <summary>Builds the view of one comparison: the rules for the bar, the split and the quote live here.</summary>
public static class ComparisonViews
{
    /// <summary>A quote longer than this is cut at a word boundary; the full verdict is one click away.</summary>
    public const int QuoteLength = 320;

    public static ComparisonView Build(Comparison comparison, int position) => new(
        position,
        comparison.Title,
        Blank(comparison.Question),
        Blank(comparison.Summary),
        comparison.Url,
        [.. comparison.Tools.Select(t => new ToolView(
            t.Name,
            Blank(t.Category),
            Blank(t.Tagline),
            Blank(t.Entry),
            t.PanelShipPercent,
            t.CommunityShipPercent,
            comparison.Reviews.Count(r => SameTool(r, t) && IsShip(r)),
            comparison.Reviews.Count(r => SameTool(r, t))))],
        StandoutQuote(comparison.Reviews));

    /// <summary>
    /// The standout quote: a dissenting voice when the panel is split (a quote whose verdict is the
    /// minority's), else the first quote in the document. Deterministic, so every reader and the web
    /// version show the same one.
    /// </summary>
    public static QuoteView? StandoutQuote(IReadOnlyList<ComparisonReview> reviews)
    {
        var quoted = reviews.Where(r => !string.IsNullOrWhiteSpace(r.Quote)).ToList();
        if (quoted.Count == 0)
        {
            return null;
        }

        var ships = reviews.Count(IsShip);
        var skips = reviews.Count - ships;
        var pick = (ships == skips ? null : quoted.FirstOrDefault(r => IsShip(r) == ships < skips)) ?? quoted[0];
        return new QuoteView(Shorten(pick.Quote!.Trim(), QuoteLength), pick.Tool, Blank(pick.Lens), pick.Verdict);
    }

    /// <summary>Cuts at the last space before <paramref name="max"/> characters and adds "…".</summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max - 1);
        if (cut < max / 2)
        {
            cut = max - 1;
        }

        // Never split a surrogate pair (an emoji) in half.
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut].TrimEnd(' ', ',', ';', ':', '-', '\u2014') + "\u2026";
    }

    private static bool SameTool(ComparisonReview review, ComparisonTool tool) => string.Equals(review.Tool, tool.Name, StringComparison.Ordinal);

    private static bool IsShip(ComparisonReview review) => string.Equals(review.Verdict, "ship", StringComparison.OrdinalIgnoreCase);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
