using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Mail;

/// <summary>
/// SpamAssassin 4 (Debian's, offline with -L) as a judge of every mail the product sends: a digest,
/// a confirmation and a preview, as written to the pickup folder. No rule may score against them
/// except the ones about this test setup (no Received headers, no DKIM key in DNS, local addresses).
/// </summary>
public sealed partial class SpamAssassinTests
{
    public const string Executable = "/usr/bin/spamassassin";

    /// <summary>Rules that only say the mail never travelled: it comes straight from a pickup folder.</summary>
    private static readonly HashSet<string> SetupRules =
    [
        "NO_RECEIVED", "NO_RELAYS", "MISSING_DATE", "DKIM_INVALID", "DKIM_SIGNED", "T_DKIM_INVALID",
        "RDNS_NONE", "NO_DNS_FOR_FROM", "DKIM_ADSP_NXDOMAIN", "SPF_NONE", "SPF_HELO_NONE", "URIBL_BLOCKED",
    ];

    [Fact]
    public async Task NoMailTheProductSendsScoresAsSpam()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Newsletter:Editors:0"] = "editor@verdicts.example.com" });
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app.Folder, 1);
        await PublishAsync(admin, "mistral-4b-edge-vs-modal-gpu-serverless-inference", "Mistral 4B Edge vs Modal GPU serverless inference");

        (await admin.PostAsJsonAsync("/api/digests/preview", new { })).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        (await app.CreateClient().PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "new.reader@example.org",
            ["name"] = "New Reader",
        }))).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => Task.FromResult(Directory.Exists(app.Outbox) && Directory.GetFiles(app.Outbox, "*.eml").Length >= 3), TimeSpan.FromSeconds(30));

        var mails = Directory.GetFiles(app.Outbox, "*.eml");
        Assert.Equal(3, mails.Length);
        foreach (var mail in mails)
        {
            var hits = await ScoreAsync(mail);
            var against = hits.Where(h => h.Score > 0 && !SetupRules.Contains(h.Rule)).ToList();
            Assert.True(against.Count == 0,
                $"{Path.GetFileName(mail)} scores: {string.Join(", ", against.Select(h => $"{h.Rule} {h.Score.ToString(CultureInfo.InvariantCulture)}"))}");
        }
    }

    private static async Task<List<(string Rule, double Score)>> ScoreAsync(string file)
    {
        var start = new ProcessStartInfo(Executable, ["-L", "-t"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await using (var input = File.OpenRead(file))
        {
            await input.CopyToAsync(process.StandardInput.BaseStream);
        }

        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // The report's table: " 1.2 RULE_NAME  description", after the " pts rule name" header line.
        var at = output.LastIndexOf(" pts rule name", StringComparison.Ordinal);
        Assert.True(at >= 0, "no SpamAssassin report in its output:\n" + output);
        var table = output[at..];
        return [.. Hit().Matches(table).Select(m => (m.Groups[2].Value, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))];
    }

    [GeneratedRegex(@"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s", RegexOptions.Multiline)]
    private static partial Regex Hit();
}
