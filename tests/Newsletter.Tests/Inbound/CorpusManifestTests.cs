using System.Text.RegularExpressions;
using MimeKit;
using Newsletter.Mail;
using Newsletter.Mail.Failures;

namespace Newsletter.Tests.Inbound;

/// <summary>
/// The bounce corpus of issue 22 (Inbound/Corpus, made by make-corpus.py) is sound: every sample is a mail
/// MimeKit reads, listed once in the manifest with a reason and consequence from the vocabulary, names the
/// reader the manifest says (or, for forged and foreign mail, none), and the holdout third covers every kind.
/// This checks the data only; the classifier's figures on it are the classifier's own tests.
/// </summary>
public sealed partial class CorpusManifestTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Inbound", "Corpus");

    /// <summary>The reasons of <see cref="FailureReason"/> by their kebab-case names, plus none for mails that are not failures.</summary>
    private static readonly HashSet<string> Reasons =
        [.. Enum.GetNames<FailureReason>().Select(Kebab), "none"];

    private static readonly HashSet<string> Consequences =
        ["hard", "soft", "sender", "complaint", "unsubscribe", "ignore", "setup", "review"];

    private static readonly string[] Sets = ["train", "holdout"];

    private static readonly string[] HardReasons = ["user-unknown", "host-unknown", "mailbox-disabled"];

    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(ReadManifest);

    [Fact]
    public void EveryRowNamesAFileMimeKitReads()
    {
        foreach (var row in Rows.Value)
        {
            var path = Path.Combine(Root, row.File);
            Assert.True(File.Exists(path), $"{row.File} is in the manifest but not on disk");
            var message = MimeMessage.Load(path);
            Assert.False(string.IsNullOrWhiteSpace(message.Headers[HeaderId.From]), $"{row.File} has no From");
            Assert.StartsWith(row.Set + "/", row.File, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryMailOnDiskIsInTheManifestOnce()
    {
        var listed = Rows.Value.Select(r => r.File).ToList();
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        var onDisk = Sets
            .SelectMany(set => Directory.EnumerateFiles(Path.Combine(Root, set), "*.eml").Select(f => set + "/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, listed.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void ReasonsAndConsequencesComeFromTheVocabularyAndAgree()
    {
        foreach (var row in Rows.Value)
        {
            Assert.True(Reasons.Contains(row.Reason), $"{row.File}: unknown reason '{row.Reason}'");
            Assert.True(Consequences.Contains(row.Consequence), $"{row.File}: unknown consequence '{row.Consequence}'");
            if (row.Consequence == "hard")
            {
                Assert.Contains(row.Reason, HardReasons);
            }

            if (row.Reason is "content" or "blocked" or "policy" or "rate-limited")
            {
                Assert.True(row.Consequence is "sender" or "setup" or "review", $"{row.File}: a sender problem must not cost the reader ({row.Consequence})");
            }

            if (row.Reason is "mailbox-full" or "message-too-large" or "on-hold" or "expired" or "system" or "unknown")
            {
                Assert.NotEqual("hard", row.Consequence);
            }
        }
    }

    [Fact]
    public void TheSetIsBigAndWideEnough()
    {
        var rows = Rows.Value;
        Assert.True(rows.Count >= 300, $"{rows.Count} samples");
        var kinds = rows.GroupBy(r => r.Kind).ToList();
        Assert.True(kinds.Count >= 30, $"{kinds.Count} kinds");
        var holdout = rows.Count(r => r.Set == "holdout") / (double)rows.Count;
        Assert.InRange(holdout, 0.25, 0.40);
        foreach (var kind in kinds)
        {
            Assert.Contains(kind, r => r.Set == "train");
            Assert.Contains(kind, r => r.Set == "holdout");
        }
    }

    [Fact]
    public void EachSampleNamesItsReaderAndForgedOrForeignMailNamesNone()
    {
        var verp = InboundSamples.Verp();
        foreach (var row in Rows.Value)
        {
            var text = File.ReadAllText(Path.Combine(Root, row.File));
            var verified = new HashSet<long>();
            foreach (Match m in VerpAddress().Matches(text))
            {
                var purpose = m.Groups[1].Success ? VerpPurpose.Unsubscribe : VerpPurpose.Bounce;
                if (verp.Verify(purpose, m.Groups[2].Value) is { } r)
                {
                    Assert.Equal(InboundSamples.Issue, r.IssueNumber);
                    verified.Add(r.SubscriberId);
                }
            }

            foreach (Match m in TokenHeader().Matches(text))
            {
                if (verp.Verify(VerpPurpose.Bounce, m.Groups[1].Value) is { } r)
                {
                    verified.Add(r.SubscriberId);
                }
            }

            if (row.Reader == "-")
            {
                Assert.True(verified.Count == 0, $"{row.File} is marked forged or foreign but names reader {string.Join(',', verified)}");
            }
            else
            {
                Assert.Equal([long.Parse(row.Reader, System.Globalization.CultureInfo.InvariantCulture)], verified);
            }
        }

        var readers = Rows.Value.Where(r => r.Reader != "-").Select(r => r.Reader).ToList();
        Assert.Equal(readers.Count, readers.Distinct(StringComparer.Ordinal).Count());
    }

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static List<Row> ReadManifest()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "manifest.tsv"));
        Assert.Equal("file\tset\tkind\treason\tconsequence\treader\tnote", lines[0]);
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select((l, i) =>
        {
            var f = l.Split('\t');
            Assert.True(f.Length == 7, $"manifest line {i + 2} has {f.Length} fields");
            Assert.Contains(f[1], Sets);
            return new Row(f[0], f[1], f[2], f[3], f[4], f[5]);
        })];
    }

    [GeneratedRegex(@"bounces\+(u-)?([a-z2-7]{16,64})@verdicts\.example\.com", RegexOptions.IgnoreCase)]
    private static partial Regex VerpAddress();

    [GeneratedRegex(@"^X-Newsletter-Token:\s*([a-z2-7]{16,64})\s*$", RegexOptions.Multiline)]
    private static partial Regex TokenHeader();

    private sealed record Row(string File, string Set, string Kind, string Reason, string Consequence, string Reader);
}
