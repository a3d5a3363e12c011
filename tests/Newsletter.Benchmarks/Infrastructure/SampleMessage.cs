using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>
/// The one message every client sends: a digest-shaped multipart/alternative mail of about 30 KB
/// (HTML + text, quoted-printable, UTF-8) made from the sample comparison. It is written once per run
/// as an .eml that the Node and Python clients read, so that every client sends the same bytes.
/// </summary>
internal sealed record SampleMessage(string EmlPath, string LfEmlPath, long Size)
{
    public const string From = "digest@bench.example";
    public const string To = "reader@bench.example";

    /// <summary>Comparisons in the digest and reviews shown: a lead comparison and two shorter ones, ~30 KB in all.</summary>
    private const int Comparisons = 3;

    private const int ReviewsInTheFirst = 6;

    private const int ReviewsAfterTheFirst = 1;

    public static async Task<SampleMessage> WriteAsync(string folder)
    {
        var message = Build();

        // Write it as it goes on the wire, so every client's DATA is these bytes: 7-bit content
        // (MailKit would otherwise re-encode for a server without 8BITMIME) and CRLF line ends.
        message.Prepare(EncodingConstraint.SevenBit);
        var eml = Path.Combine(folder, "sample.eml");
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        await using (var file = File.Create(eml))
        {
            await message.WriteToAsync(options, file);
        }

        // smtp-source -F appends CRLF to every line it reads without removing a CR first, so it gets
        // the same message with LF line ends (see its man page and README.md).
        var lf = Path.Combine(folder, "sample-lf.eml");
        var bytes = await File.ReadAllBytesAsync(eml);
        await File.WriteAllTextAsync(lf, Encoding.ASCII.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal));
        return new SampleMessage(eml, lf, bytes.Length);
    }

    private static MimeMessage Build()
    {
        var comparison = LoadComparison();
        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>AI Tool Verdicts #42</title></head>\n")
            .Append("<body style=\"margin:0;padding:0;background:#f4f4f7;font-family:Helvetica,Arial,sans-serif\">\n")
            .Append("<p style=\"font-size:12px;color:#666\"><a href=\"https://verdicts.example.com/issues/42\">View this issue in your browser</a></p>\n")
            .Append("<h1 style=\"font-size:24px;color:#111\">Hi Reader 1, here are this week’s verdicts</h1>\n");
        text.Append("AI Tool Verdicts #42\nView in your browser: https://verdicts.example.com/issues/42\n\nHi Reader 1, here are this week’s verdicts\n\n");
        for (var i = 1; i <= Comparisons; i++)
        {
            AppendComparison(comparison, i, html, text);
        }

        const string unsubscribe = "https://verdicts.example.com/unsubscribe?token=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
        html.Append(CultureInfo.InvariantCulture, $"<p style=\"font-size:12px;color:#666\">You get this because you subscribed at verdicts.example.com. <a href=\"{unsubscribe}\">Unsubscribe</a></p>\n</body></html>\n");
        text.Append(CultureInfo.InvariantCulture, $"You get this because you subscribed at verdicts.example.com.\nUnsubscribe: {unsubscribe}\n");

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("AI Tool Verdicts", From));
        message.To.Add(new MailboxAddress("Reader 1", To));
        message.Subject = "AI Tool Verdicts #42: Mistral 4B Edge vs Modal GPU Serverless Inference and 2 more";
        message.Date = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        message.MessageId = "issue-42.reader-1@bench.example";
        message.Headers.Add("List-Id", "AI Tool Verdicts <digest.verdicts.example.com>");
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>, <mailto:unsubscribe@verdicts.example.com?subject=unsubscribe>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Body = new MultipartAlternative { Part(text.ToString(), "plain"), Part(html.ToString(), "html") };
        return message;
    }

    private static TextPart Part(string content, string subtype)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, content);
        return part;
    }

    private static JsonElement LoadComparison()
    {
        var file = Directory.EnumerateFiles(BenchPaths.Comparisons, "*.json").Order(StringComparer.Ordinal).First();
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.Clone();
    }

    private static void AppendComparison(JsonElement c, int n, StringBuilder html, StringBuilder text)
    {
        string S(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        string H(string s) => WebUtility.HtmlEncode(s);

        var title = $"{S(c, "title")} ({n})";
        var url = $"{S(c, "url")}?utm_source=digest&utm_medium=email&utm_campaign=issue-42&n={n}";
        html.Append(CultureInfo.InvariantCulture, $"<table role=\"presentation\" width=\"100%\" style=\"background:#fff;border-radius:8px;margin:16px 0\"><tr><td style=\"padding:24px\">\n<h2 style=\"font-size:20px;margin:0 0 8px\"><a href=\"{H(url)}\" style=\"color:#1a56db;text-decoration:none\">{H(title)}</a></h2>\n")
            .Append(CultureInfo.InvariantCulture, $"<p style=\"color:#333\">{H(S(c, "question"))} {H(S(c, "summary"))}</p>\n<table role=\"presentation\" width=\"100%\"><tr>\n");
        text.Append(CultureInfo.InvariantCulture, $"== {title} ==\n{S(c, "question")} {S(c, "summary")}\n{url}\n\n");
        foreach (var tool in c.GetProperty("tools").EnumerateArray())
        {
            var panel = tool.GetProperty("panelShipPercent") is { ValueKind: JsonValueKind.Number } p ? $"{p.GetInt32()}%" : "—";
            var community = tool.GetProperty("communityShipPercent") is { ValueKind: JsonValueKind.Number } m ? $"{m.GetInt32()}%" : "—";
            html.Append(CultureInfo.InvariantCulture, $"<td valign=\"top\" style=\"padding:8px;border:1px solid #e5e7eb\"><strong>{H(S(tool, "name"))}</strong><br><em>{H(S(tool, "tagline"))}</em><br>")
                .Append(CultureInfo.InvariantCulture, $"<span>{H(S(tool, "category"))} · {H(S(tool, "entry"))}</span><br>Panel ship: {panel} · Community ship: {community}<p>{H(S(tool, "description"))}</p></td>\n");
            text.Append(CultureInfo.InvariantCulture, $"* {S(tool, "name")} ({S(tool, "category")}, {S(tool, "entry")}): {S(tool, "tagline")}\n  Panel ship: {panel}. Community ship: {community}.\n  {S(tool, "description")}\n\n");
        }

        html.Append("</tr></table>\n");
        foreach (var review in c.GetProperty("reviews").EnumerateArray().Take(n == 1 ? ReviewsInTheFirst : ReviewsAfterTheFirst))
        {
            html.Append(CultureInfo.InvariantCulture, $"<blockquote style=\"border-left:4px solid #1a56db;margin:12px 0;padding:4px 12px\"><strong>{H(S(review, "tool"))}</strong>, {H(S(review, "lens"))}: <b>{H(S(review, "verdict"))}</b><br>{H(S(review, "quote"))}</blockquote>\n");
            text.Append(CultureInfo.InvariantCulture, $"> {S(review, "tool")}, {S(review, "lens")}: {S(review, "verdict")}\n> {S(review, "quote")}\n\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{H(url)}\" style=\"background:#1a56db;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">Read the full comparison</a></p>\n</td></tr></table>\n");
    }
}
