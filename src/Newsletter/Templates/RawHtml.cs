namespace Newsletter.Templates;

/// <summary>
/// Markup we produced ourselves (a rendered partial, a link we built): written as is into HTML output.
/// Everything else a template writes into HTML is escaped.
/// </summary>
public sealed record RawHtml(string Html)
{
    public override string ToString() => Html;
}
