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

    private const string Font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;";

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
            HtmlBlock(output, block, href);
        }

        return output.ToString();
    }

    /// <summary>The note as plain text: links written "text (url)", lists with "- " and "1. ", wrapped at 72 columns.</summary>
    public static string ToText(string markdown, Func<string, string> href)
    {
        var paragraphs = new List<string>();
        foreach (var block in Markdown.Parse(markdown, Pipeline))
        {
            TextBlock(paragraphs, block, "", href);
        }

        return string.Join("\n\n", paragraphs);
    }

    private static bool IsAllowed(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    private static string? Target(Inline inline) => inline switch
    {
        LinkInline { IsImage: false } link when IsAllowed(link.Url) => link.Url,
        AutolinkInline { IsEmail: true } mail when IsAllowed("mailto:" + mail.Url) => "mailto:" + mail.Url,
        AutolinkInline auto when IsAllowed(auto.Url) => auto.Url,
        _ => null,
    };

    private static void HtmlBlock(StringBuilder o, Block block, Func<string, string> href)
    {
        switch (block)
        {
            case HeadingBlock heading:
                o.Append("<p style=\"margin:0 0 12px 0;font-weight:700;\">");
                HtmlInlines(o, heading.Inline, href);
                o.Append("</p>");
                break;
            case ParagraphBlock paragraph:
                o.Append("<p style=\"margin:0 0 12px 0;\">");
                HtmlInlines(o, paragraph.Inline, href);
                o.Append("</p>");
                break;
            case ListBlock list:
                o.Append(list.IsOrdered ? "<ol style=\"margin:0 0 12px 0;padding-left:24px;\">" : "<ul style=\"margin:0 0 12px 0;padding-left:24px;\">");
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    o.Append("<li>");
                    foreach (var child in item)
                    {
                        // A tight list's paragraphs have no margins of their own.
                        if (child is ParagraphBlock p)
                        {
                            HtmlInlines(o, p.Inline, href);
                        }
                        else
                        {
                            HtmlBlock(o, child, href);
                        }
                    }

                    o.Append("</li>");
                }

                o.Append(list.IsOrdered ? "</ol>" : "</ul>");
                break;
            case QuoteBlock quote:
                o.Append("<blockquote style=\"margin:0 0 12px 0;padding-left:12px;border-left:3px solid #c5cae0;\">");
                foreach (var child in quote)
                {
                    HtmlBlock(o, child, href);
                }

                o.Append("</blockquote>");
                break;
            case CodeBlock code:
                o.Append("<pre style=\"margin:0 0 12px 0;white-space:pre-wrap;\">").Append(Html.Escape(code.Lines.ToString())).Append("</pre>");
                break;
            case ThematicBreakBlock:
                o.Append("<hr style=\"border:0;border-top:1px solid #e1e4ea;margin:12px 0;\">");
                break;
            case LeafBlock leaf:
                HtmlInlines(o, leaf.Inline, href);
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    HtmlBlock(o, child, href);
                }

                break;
        }
    }

    private static void HtmlInlines(StringBuilder o, ContainerInline? inlines, Func<string, string> href)
    {
        for (var inline = inlines?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LinkInline { IsImage: true } image:
                    o.Append(Html.Escape(PlainText(image)));
                    break;
                case LinkInline link when Target(link) is { } url:
                    o.Append("<a href=\"").Append(Html.Escape(href(url))).Append("\" style=\"color:#3b4fd8;text-decoration:underline;\">");
                    HtmlInlines(o, link, href);
                    o.Append("</a>");
                    break;
                case AutolinkInline auto when Target(auto) is { } url:
                    o.Append("<a href=\"").Append(Html.Escape(href(url))).Append("\" style=\"color:#3b4fd8;text-decoration:underline;\">")
                        .Append(Html.Escape(auto.Url)).Append("</a>");
                    break;
                case EmphasisInline emphasis:
                    var tag = emphasis.DelimiterCount >= 2 ? "strong" : "em";
                    o.Append('<').Append(tag).Append('>');
                    HtmlInlines(o, emphasis, href);
                    o.Append("</").Append(tag).Append('>');
                    break;
                case CodeInline code:
                    o.Append("<code>").Append(Html.Escape(code.Content)).Append("</code>");
                    break;
                case LineBreakInline br:
                    o.Append(br.IsHard ? "<br>" : "\n");
                    break;
                case ContainerInline container:
                    HtmlInlines(o, container, href);
                    break;
                default:
                    o.Append(Html.Escape(LeafText(inline)));
                    break;
            }
        }
    }

    private static void TextBlock(List<string> paragraphs, Block block, string indent, Func<string, string> href)
    {
        switch (block)
        {
            case ListBlock list:
                var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
                var lines = new List<string>();
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    var inner = new List<string>();
                    foreach (var child in item)
                    {
                        TextBlock(inner, child, "", href);
                    }

                    var text = TextWrap.Wrap(string.Join("\n", inner), indent + new string(' ', bullet.Length));
                    lines.Add(indent + bullet + text[(indent.Length + bullet.Length)..]);
                }

                paragraphs.Add(string.Join("\n", lines));
                break;
            case QuoteBlock quote:
                var quoted = new List<string>();
                foreach (var child in quote)
                {
                    TextBlock(quoted, child, "", href);
                }

                paragraphs.Add(TextWrap.Wrap(string.Join("\n\n", quoted), indent + "> "));
                break;
            case CodeBlock code:
                paragraphs.Add(code.Lines.ToString().TrimEnd());
                break;
            case ThematicBreakBlock:
                paragraphs.Add(new string('-', TextWrap.Width));
                break;
            case LeafBlock leaf:
                var builder = new StringBuilder();
                TextInlines(builder, leaf.Inline, href);
                paragraphs.Add(TextWrap.Wrap(builder.ToString(), indent));
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    TextBlock(paragraphs, child, indent, href);
                }

                break;
        }
    }

    private static void TextInlines(StringBuilder o, ContainerInline? inlines, Func<string, string> href)
    {
        for (var inline = inlines?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LinkInline { IsImage: true } image:
                    o.Append(PlainText(image));
                    break;
                case LinkInline link when Target(link) is { } url:
                    TextInlines(o, link, href);
                    o.Append(" (").Append(href(url)).Append(')');
                    break;
                case AutolinkInline auto when Target(auto) is { } url:
                    o.Append(href(url));
                    break;
                case LineBreakInline:
                    o.Append('\n');
                    break;
                case ContainerInline container:
                    TextInlines(o, container, href);
                    break;
                default:
                    o.Append(LeafText(inline));
                    break;
            }
        }
    }

    private static string PlainText(ContainerInline container)
    {
        var builder = new StringBuilder();
        TextInlines(builder, container, url => url);
        return builder.ToString();
    }

    private static string LeafText(Inline inline) => inline switch
    {
        LiteralInline literal => literal.Content.ToString(),
        CodeInline code => code.Content,
        HtmlEntityInline entity => entity.Transcoded.ToString(),
        HtmlInline html => html.Tag,
        AutolinkInline auto => auto.Url,
        _ => "",
    };
}
