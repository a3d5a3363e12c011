using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Newsletter.Templates;

namespace Newsletter.Digests;

/// <summary>
/// The editor's note: Markdown (CommonMark through Markdig) with raw HTML off, rendered here for both
/// parts of the mail. We walk Markdig's syntax tree ourselves instead of using its HTML renderer, so
/// every character of the editor's text goes through <see cref="Html.Escape"/> (as all other
/// content does), only the constructs a note needs come out (paragraphs, emphasis, lists, links,
/// headings, quotes, code), an image becomes its alt text (an image is a remote fetch: an open pixel
/// by another name), and a link that is not http(s) or mailto stays plain text.
/// </summary>
public static class EditorNote
{
    /// <summary>A note longer than this is refused on save.</summary>
    public const int MaxLength = 10_000;

    // DisableHtml: "<b>hi</b>" stays the text "<b>hi</b>", shown as written.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    /// <summary>What is wrong with a note before it is saved (empty: nothing): images and links we would not send.</summary>
    public static List<string> Problems(string? markdown)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return problems;
        }

        if (markdown.Length > MaxLength)
        {
            problems.Add($"is {markdown.Length} characters long; at most {MaxLength}");
            return problems;
        }

        foreach (var inline in Markdown.Parse(markdown, Pipeline).Descendants<Inline>())
        {
            switch (inline)
            {
                case LinkInline { IsImage: true } image:
                    problems.Add($"has an image ({image.Url}): a mail carries no images (each is a remote fetch that tells the sender who opened it)");
                    break;
                case LinkInline link when !IsAllowed(link.Url):
                    problems.Add($"links to \"{link.Url}\": only http, https and mailto links may be sent");
                    break;
            }
        }

        return problems;
    }

    /// <summary>The targets of the note's links that may be sent (http, https, mailto), in order: they are tracked like comparison links.</summary>
    public static IEnumerable<string> Links(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            yield break;
        }

        foreach (var inline in Markdown.Parse(markdown, Pipeline).Descendants<Inline>())
        {
            if (Target(inline) is { } url)
            {
                yield return url;
            }
        }
    }

    /// <summary>The note as email HTML; <paramref name="href"/> turns a target into the link written (tracked or not).</summary>
    public static string ToHtml(string markdown, Func<string, string> href)
    {
        var output = new StringBuilder(markdown.Length * 2);
        foreach (var block in Markdown.Parse(markdown, Pipeline))
        {
            EditorNoteHtml.Block(output, block, href);
        }

        return output.ToString();
    }

    /// <summary>The note as plain text: links written "text (url)", lists with "- " and "1. ", wrapped at 72 columns.</summary>
    public static string ToText(string markdown, Func<string, string> href)
    {
        var paragraphs = new List<string>();
        foreach (var block in Markdown.Parse(markdown, Pipeline))
        {
            EditorNoteText.Block(paragraphs, block, "", href);
        }

        return string.Join("\n\n", paragraphs);
    }

    internal static bool IsAllowed(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    /// <summary>Where a link of the note goes, when it may be sent (http, https, mailto); null: it stays text.</summary>
    internal static string? Target(Inline inline) => inline switch
    {
        LinkInline { IsImage: false } link when IsAllowed(link.Url) => link.Url,
        AutolinkInline { IsEmail: true } mail when IsAllowed("mailto:" + mail.Url) => "mailto:" + mail.Url,
        AutolinkInline auto when IsAllowed(auto.Url) => auto.Url,
        _ => null,
    };
}
