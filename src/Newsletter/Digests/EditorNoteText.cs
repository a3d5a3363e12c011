using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Newsletter.Digests;

/// <summary>The editor's note as the text part: links written "text (url)", lists with "- " and "1. ", wrapped at 72 columns.</summary>
internal static class EditorNoteText
{
    internal static void Block(List<string> paragraphs, Block block, string indent, Func<string, string> href)
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
                        Block(inner, child, "", href);
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
                    Block(quoted, child, "", href);
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
                Inlines(builder, leaf.Inline, href);
                paragraphs.Add(TextWrap.Wrap(builder.ToString(), indent));
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Block(paragraphs, child, indent, href);
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
                    o.Append(PlainText(image));
                    break;
                case LinkInline link when EditorNote.Target(link) is { } url:
                    Inlines(o, link, href);
                    o.Append(" (").Append(href(url)).Append(')');
                    break;
                case AutolinkInline auto when EditorNote.Target(auto) is { } url:
                    o.Append(href(url));
                    break;
                case LineBreakInline:
                    o.Append('\n');
                    break;
                case ContainerInline container:
                    Inlines(o, container, href);
                    break;
                default:
                    o.Append(LeafText(inline));
                    break;
            }
        }
    }

    internal static string PlainText(ContainerInline container)
    {
        var builder = new StringBuilder();
        Inlines(builder, container, url => url);
        return builder.ToString();
    }

    internal static string LeafText(Inline inline) => inline switch
    {
        LiteralInline literal => literal.Content.ToString(),
        CodeInline code => code.Content,
        HtmlEntityInline entity => entity.Transcoded.ToString(),
        HtmlInline html => html.Tag,
        AutolinkInline auto => auto.Url,
        _ => "",
    };
}
