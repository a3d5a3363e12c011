using Newsletter.Mail.Failures;

namespace Newsletter.Tests.Mail;

/// <summary>
/// The failure table on the replies that decide whether a reader is lost: only a final "the address
/// is dead" bounces; the sender's problems and whatever may pass never do, whatever the status code.
/// </summary>
public sealed class FailureRulesTests
{
    [Theory]
    [InlineData(550, "5.1.1", "5.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table", FailureReason.UserUnknown, FailureConsequence.Hard)]
    [InlineData(450, "4.1.1", "4.1.1 <a@example.com>: Recipient address rejected: unverified address", FailureReason.UserUnknown, FailureConsequence.Soft)]
    [InlineData(550, null, "5.1.2 Host or domain name not found", FailureReason.HostUnknown, FailureConsequence.Hard)]
    [InlineData(550, "5.2.1", "5.2.1 The email account that you tried to reach is disabled.", FailureReason.MailboxDisabled, FailureConsequence.Hard)]
    [InlineData(550, "5.2.1", "5.2.1 This mailbox is temporarily suspended", FailureReason.MailboxFull, FailureConsequence.Soft)]
    [InlineData(552, "5.2.2", "5.2.2 The email account that you tried to reach is over quota.", FailureReason.MailboxFull, FailureConsequence.Soft)]
    [InlineData(550, "5.7.1", "5.7.1 Our system has detected that this message is likely unsolicited mail.", FailureReason.Content, FailureConsequence.Sender)]
    [InlineData(554, "5.7.1", "5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org", FailureReason.Blocked, FailureConsequence.Sender)]
    [InlineData(550, "5.7.26", "5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy", FailureReason.Policy, FailureConsequence.Sender)]
    [InlineData(421, "4.7.0", "4.7.0 Too many connections from your IP, try again later", FailureReason.RateLimited, FailureConsequence.Sender)]
    [InlineData(550, "5.1.1", "5.1.1 <group@example.com>: group does not accept this message", FailureReason.Unknown, FailureConsequence.Soft)]
    [InlineData(550, null, "Requested action not taken", FailureReason.Unknown, FailureConsequence.Soft)]
    public void AReplyGetsTheReasonAndConsequenceAPostmasterWouldGiveIt(int reply, string? status, string diagnostic, FailureReason reason, FailureConsequence consequence)
    {
        var verdict = FailureRules.Classify(reply, status, diagnostic);

        Assert.Equal((reason, consequence), (verdict.Reason, verdict.Consequence));
    }

    [Fact]
    public void ADelayTheReporterGaveUpOnHasExpired()
    {
        var verdict = FailureRules.Classify(null, "4.4.7", "Delivery time expired", gaveUp: true);

        Assert.Equal((FailureReason.Expired, FailureConsequence.Soft), (verdict.Reason, verdict.Consequence));
    }
}
