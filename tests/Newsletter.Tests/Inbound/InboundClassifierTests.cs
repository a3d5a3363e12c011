using MimeKit;
using Newsletter.Inbound;
using Newsletter.Mail;

namespace Newsletter.Tests.Inbound;

public sealed class InboundClassifierTests
{
    private readonly InboundClassifier _classifier = new(InboundSamples.Verp());

    [Theory]
    [InlineData("postfix-hard-full.eml", ReportKind.Hard, 101, "5.1.1")]
    [InlineData("exim-hard-plain.eml", ReportKind.Hard, 103, "550 5.1.1 No such user here")]
    [InlineData("exim-dsn-full.eml", ReportKind.Soft, 110, "Mailbox full")]
    [InlineData("gmail-hard.eml", ReportKind.Hard, 104, "5.1.1")]
    [InlineData("microsoft-hard-headers-only.eml", ReportKind.Hard, 105, "RESOLVER.ADR.RecipientNotFound")]
    [InlineData("microsoft-soft-no-original.eml", ReportKind.Soft, 106, "4.2.2")]
    public void ABounceNamesItsReaderAndSaysHardOrSoft(string sample, ReportKind kind, long subscriber, string diagnostic)
    {
        var verdict = Classify(sample);

        Assert.Equal(InboundKind.Bounce, verdict.Kind);
        var finding = Assert.Single(verdict.Findings);
        Assert.Equal(kind, finding.Kind);
        Assert.Equal(new VerpRecipient(InboundSamples.Issue, subscriber), finding.Recipient);
        Assert.Contains(diagnostic, finding.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void AComplaintThatQuotesOnlyTheOriginalFindsTheReaderByItsHeaderToken()
    {
        var verdict = _classifier.Classify(InboundSamples.Load("arf-abuse.eml"));

        Assert.Equal(InboundKind.Complaint, verdict.Kind);
        var finding = Assert.Single(verdict.Findings);
        Assert.Equal((ReportKind.Complaint, new VerpRecipient(5, 107)), (finding.Kind, finding.Recipient!.Value));
    }

    [Fact]
    public void AMailToTheUnsubscribeAddressUnsubscribesThatReader()
    {
        var verdict = _classifier.Classify(InboundSamples.Load("unsubscribe-mail.eml"));

        Assert.Equal(InboundKind.Unsubscribe, verdict.Kind);
        Assert.Equal(new VerpRecipient(5, 109), Assert.Single(verdict.Findings).Recipient);
    }

    [Theory]
    [InlineData("postfix-delayed-headers-only.eml")] // the reporter is still trying: nothing failed yet
    [InlineData("vacation-reply.eml")]
    [InlineData("outlook-automatic-reply.eml")]
    public void AutoRepliesAndDelaysAreIgnored(string sample)
    {
        var verdict = Classify(sample);

        Assert.Equal(InboundKind.Ignored, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Theory]
    [InlineData("forged-bounce.eml", "does not verify")]
    [InlineData("garbage.eml", "not a delivery or feedback report")]
    [InlineData("garbage-not-mime.eml", "")]
    public void ForgedOrUnreadableMailGoesToReviewAndNamesNobody(string sample, string reason)
    {
        var verdict = Classify(sample);

        Assert.Equal(InboundKind.Review, verdict.Kind);
        Assert.Empty(verdict.Findings);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AQuotedTokenThatWasTamperedWithGoesToReview()
    {
        var text = File.ReadAllText(InboundSamples.PathOf("microsoft-hard-headers-only.eml"));
        var token = System.Text.RegularExpressions.Regex.Match(text, "X-Newsletter-Token: ([a-z2-7]+)").Groups[1].Value;
        var forged = text.Replace(token, token[..^2] + (token.EndsWith("aa", StringComparison.Ordinal) ? "bb" : "aa"), StringComparison.Ordinal);

        var verdict = _classifier.Classify(MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(forged))));

        Assert.Equal(InboundKind.Review, verdict.Kind);
        Assert.Contains("does not verify", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ABounceWithoutAnyTokenIsNotMatchedByItsAddressWhenTokensAreExpected()
    {
        // The Microsoft bounce to the bare address, with its quoted tokens removed (the header, and the
        // VERP addresses of its Return-Path and unsubscribe mailto): only the address is left.
        var text = File.ReadAllText(InboundSamples.PathOf("microsoft-hard-headers-only.eml"));
        var stripped = System.Text.RegularExpressions.Regex.Replace(text, "X-Newsletter-Token: [a-z2-7]+\n", "");
        stripped = System.Text.RegularExpressions.Regex.Replace(stripped, @"bounces\+[a-z2-7-]+@", "bounces@");

        var verdict = _classifier.Classify(MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(stripped))));

        Assert.Equal(InboundKind.Review, verdict.Kind);
        Assert.Contains("left.company@contoso.example", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutVerpABounceNamesItsReaderByTheReportedAddress()
    {
        var verdict = new InboundClassifier(InboundSamples.Verp(returnPath: null)).Classify(InboundSamples.Load("gmail-hard.eml"));

        var finding = Assert.Single(verdict.Findings);
        Assert.Equal((ReportKind.Hard, (VerpRecipient?)null, "closed.account@gmail.com"), (finding.Kind, finding.Recipient, finding.Email));
    }

    private InboundVerdict Classify(string sample)
    {
        using var raw = File.OpenRead(InboundSamples.PathOf(sample));
        return _classifier.Classify(raw);
    }

    [Fact]
    public void EverySampleIsClassifiedWithoutThrowing()
    {
        Assert.True(InboundSamples.All().Count() >= 14);
        Assert.All(InboundSamples.All(), name => Classify(name));
    }
}
