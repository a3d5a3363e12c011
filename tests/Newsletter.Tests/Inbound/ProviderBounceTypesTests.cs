using Newsletter.Inbound.Webhooks;
using Newsletter.Mail.Failures;

namespace Newsletter.Tests.Inbound;

/// <summary>The providers' own bounce types, as the table reads them: a sender problem never bounces a reader, whatever the provider calls it.</summary>
public sealed class ProviderBounceTypesTests
{
    [Theory]
    [InlineData("Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown", FailureConsequence.Hard)]
    [InlineData("Permanent", "NoEmail", "5.1.1", "smtp; 550 5.1.1 no such user", FailureConsequence.Hard)]
    [InlineData("Permanent", "Suppressed", "5.1.1", "Amazon SES has suppressed sending to this address", FailureConsequence.Hard)]
    [InlineData("Permanent", "OnAccountSuppressionList", "5.1.1", "on the account-level suppression list", FailureConsequence.Hard)]
    [InlineData("Permanent", "General", "5.7.1", "smtp; 550 5.7.1 Service unavailable, client host blocked using Spamhaus", FailureConsequence.Sender)]
    [InlineData("Permanent", "General", "5.0.0", "smtp; 550 5.7.26 Unauthenticated email is not accepted due to DMARC policy", FailureConsequence.Sender)]
    [InlineData("Transient", "General", "4.4.7", "smtp; 421 4.4.7 connection timed out", FailureConsequence.Soft)]
    [InlineData("Transient", "MailboxFull", "4.2.2", "smtp; 452 4.2.2 mailbox full", FailureConsequence.Soft)]
    [InlineData("Transient", "MessageTooLarge", "5.3.4", "smtp; 552 5.3.4 message too big", FailureConsequence.Sender)]
    [InlineData("Transient", "ContentRejected", "5.7.1", "smtp; 554 5.7.1 spam content", FailureConsequence.Sender)]
    [InlineData("Transient", "AttachmentRejected", "5.7.1", "smtp; 552 5.7.0 attachment not allowed", FailureConsequence.Sender)]
    [InlineData("Undetermined", "Undetermined", "5.0.0", "unknown", FailureConsequence.Soft)]
    public void SesBounceTypes(string type, string subType, string status, string diagnostic, FailureConsequence expected)
    {
        var (_, consequence) = ProviderBounceTypes.Classify(status, diagnostic, ProviderBounceTypes.SesBounce(type, subType));
        Assert.Equal(expected, consequence);
    }

    [Theory]
    [InlineData("HardBounce", "smtp;550 5.1.1 user unknown", ProviderReportKind.Bounce, FailureConsequence.Hard)]
    [InlineData("BadEmailAddress", "", ProviderReportKind.Bounce, FailureConsequence.Hard)]
    [InlineData("HardBounce", "smtp;550 5.7.1 rejected by policy", ProviderReportKind.Bounce, FailureConsequence.Sender)]
    [InlineData("SoftBounce", "smtp;452 4.2.2 over quota", ProviderReportKind.Bounce, FailureConsequence.Soft)]
    [InlineData("Transient", "delayed", ProviderReportKind.Bounce, FailureConsequence.Soft)]
    [InlineData("DnsError", "DNS lookup failed", ProviderReportKind.Bounce, FailureConsequence.Soft)]
    [InlineData("Blocked", "smtp;554 blocked", ProviderReportKind.Bounce, FailureConsequence.Sender)]
    [InlineData("SpamNotification", "spam", ProviderReportKind.Bounce, FailureConsequence.Sender)]
    [InlineData("DMARCPolicy", "", ProviderReportKind.Bounce, FailureConsequence.Sender)]
    [InlineData("SpamComplaint", "", ProviderReportKind.Complaint, FailureConsequence.Complaint)]
    [InlineData("AutoResponder", "out of office", ProviderReportKind.Other, FailureConsequence.Soft)]
    [InlineData("SomethingNew", "", ProviderReportKind.Other, FailureConsequence.Soft)]
    public void PostmarkTypes(string type, string details, ProviderReportKind kind, FailureConsequence expected)
    {
        var hint = ProviderBounceTypes.PostmarkType(type);
        Assert.Equal(kind, hint.Kind);
        Assert.Equal(expected, ProviderBounceTypes.Classify(null, details, hint).Consequence);
    }

    [Theory]
    [InlineData("failed", "permanent", "bounce", "5.1.1", FailureConsequence.Hard)]
    [InlineData("failed", "permanent", "bounce", "5.7.1", FailureConsequence.Sender)]
    [InlineData("failed", "permanent", "espblock", "5.0.0", FailureConsequence.Sender)]
    [InlineData("failed", "permanent", "old", "", FailureConsequence.Soft)]
    [InlineData("failed", "temporary", "generic", "4.2.2", FailureConsequence.Soft)]
    [InlineData("complained", null, null, "", FailureConsequence.Complaint)]
    public void MailgunEvents(string eventName, string? severity, string? reason, string status, FailureConsequence expected)
    {
        var (_, consequence) = ProviderBounceTypes.Classify(status, "", ProviderBounceTypes.MailgunEvent(eventName, severity, reason));
        Assert.Equal(expected, consequence);
    }

    [Fact]
    public void SesComplaintsExceptNotSpamAndAuthFailureAreComplaints()
    {
        Assert.Equal(FailureConsequence.Complaint, ProviderBounceTypes.SesComplaint("abuse").Consequence);
        Assert.Equal(FailureConsequence.Complaint, ProviderBounceTypes.SesComplaint(null).Consequence);
        Assert.Equal(ProviderReportKind.Other, ProviderBounceTypes.SesComplaint("not-spam").Kind);
        Assert.Equal(FailureConsequence.Sender, ProviderBounceTypes.SesComplaint("auth-failure").Consequence);
    }
}
