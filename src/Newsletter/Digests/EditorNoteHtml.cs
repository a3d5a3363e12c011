using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Newsletter.Templates;

namespace Newsletter.Digests;

/// <summary>
/// The editor's note as email HTML (<see cref="EditorNote"/> says why we walk Markdig's tree): every
/// character through <see cref="Html.Escape"/>, inline styles because mail clients drop style sheets.
/// </summary>
internal static class EditorNoteHtml
{
    internal static void Block(StringBuilder o, Block block, Func<string, string> href)
    {
        switch (block)
        {
            case HeadingBlock heading:
                o.Append("<p style=\"margin:0 0 12px 0;font-weight:700;\">");
                Inlines(o, heading.Inline, href);
                o.Append("</p>");
                break;
            case ParagraphBlock paragraph:
                o.Append("<p style=\"margin:0 0 12px 0;\">");
                Inlines(o, paragraph.Inline, href);
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
                            Inlines(o, p.Inline, href);
                        }
                        else
                        {
                            Block(o, child, href);
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
                    Block(o, child, href);
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
                Inlines(o, leaf.Inline, href);
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Block(o, child, href);
                }

                break;
        }
    }

    private static void Inlines(StringBuilder o, ContainerInline? inlines, Func<string, string> href)
    {
        for (var inline = inlines?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LinkInline { IsImage: true } image:
                    o.Append(Html.Escape(EditorNoteText.PlainText(image)));
                    break;
                case LinkInline link when EditorNote.Target(link) is { } url:
                    o.Append("<a href=\"").Append(Html.Escape(href(url))).Append("\" style=\"color:#3b4fd8;text-decoration:underline;\">");
                    Inlines(o, link, href);
                    o.Append("</a>");
                    break;
                case AutolinkInline auto when EditorNote.Target(auto) is { } url:
                    o.Append("<a href=\"").Append(Html.Escape(href(url))).Append("\" style=\"color:#3b4fd8;text-decoration:underline;\">")
                        .Append(Html.Escape(auto.Url)).Append("</a>");
                    break;
                case EmphasisInline emphasis:
                    var tag = emphasis.DelimiterCount >= 2 ? "strong" : "em";
                    o.Append('<').Append(tag).Append('>');
                    Inlines(o, emphasis, href);
                    o.Append("</").Append(tag).Append('>');
                    break;
                case CodeInline code:
                    o.Append("<code>").Append(Html.Escape(code.Content)).Append("</code>");
                    break;
                case LineBreakInline br:
                    o.Append(br.IsHard ? "<br>" : "\n");
                    break;
                case ContainerInline container:
                    Inlines(o, container, href);
                    break;
                default:
                    o.Append(Html.Escape(EditorNoteText.LeafText(inline)));
                    break;
            }
        }
    }
}
