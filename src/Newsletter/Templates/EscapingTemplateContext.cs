using Scriban;
using Scriban.Parsing;

namespace Newsletter.Templates;

/// <summary>
/// A Scriban context that HTML-escapes every value an HTML template writes, so content and
/// subscriber data are shown as written without anyone remembering `| html.escape`.
/// Values wrapped in <see cref="RawHtml"/> (partials, links we built) pass through.
/// </summary>
internal sealed class EscapingTemplateContext : TemplateContext
{
    public bool EscapeHtml { get; set; }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (!EscapeHtml || textAsObject is null)
        {
            return base.Write(span, textAsObject);
        }

        if (textAsObject is RawHtml raw)
        {
            Write(raw.Html);
            return this;
        }

        Write(Html.Escape(ObjectToString(textAsObject)));
        return this;
    }
}
