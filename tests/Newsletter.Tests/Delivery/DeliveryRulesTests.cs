using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Delivery;
using Newsletter.Mail;
using Newsletter.Digests;

namespace Newsletter.Tests.Delivery;

/// <summary>The small rules the engine leans on: retry delays, failure classes, schedule slots.</summary>
public sealed class DeliveryRulesTests
{
    [Fact]
    public void RetryDelaysDoubleUpToTheCapAndStopAtMaxAttempts()
    {
        var policy = new RetryPolicy(Options.Create(new DeliveryOptions
        {
            RetryDelay = TimeSpan.FromMinutes(1), MaxRetryDelay = TimeSpan.FromMinutes(5), MaxAttempts = 4,
        }));

        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(1, 5).Select(a => policy.DelayAfter(a).TotalMinutes));
        Assert.True(policy.ShouldRetry(3));
        Assert.False(policy.ShouldRetry(4));
    }

    [Fact]
    public void FailuresAreClassifiedFromMailKitsExceptions()
    {
        var mailbox = new MimeKit.MailboxAddress("", "a@example.com");
        Assert.Equal(SendResult.RecipientUnknown, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox, "5.1.1 <a@example.com>: User unknown")).Result);
        Assert.Equal(SendResult.RecipientUnknown, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox, "5.2.1 mailbox disabled")).Result);
        Assert.Equal(SendResult.RecipientUnknown, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox, "no such user")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox, "Requested action not taken")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox, "5.2.2 mailbox full")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox,
                "5.7.1 Message rejected as spam by Content Filtering")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, mailbox, "5.7.1 Relay access denied")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.CommandUnrecognized, mailbox, "5.3.0 Error: command failed")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.TransactionFailed, mailbox, "5.7.1 Service unavailable; client host blocked")).Result);
        Assert.Equal(SendResult.Refused, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "spam")).Result);
        Assert.Equal(SendResult.Temporary, SmtpFailure.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, mailbox, "greylisted")).Result);
        Assert.Equal(SendResult.Temporary, SmtpFailure.Classify(new IOException("connection reset")).Result);
        Assert.Equal(SendResult.Temporary, SmtpFailure.Classify(new SmtpProtocolException("garbled")).Result);
        Assert.Equal(SendResult.Unavailable, SmtpFailure.ClassifyConnect(new SocketException((int)SocketError.ConnectionRefused)).Result);
        Assert.True(SmtpFailure.LosesConnection(
            new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ServiceNotAvailable, "closing")));
        Assert.False(SmtpFailure.LosesConnection(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, mailbox, "later")));
    }

    [Theory]
    [InlineData("2026-11-30T09:00:00Z", "2026-11-30T09:00:00Z")] // the occurrence itself
    [InlineData("2026-11-30T09:00:00.750Z", "2026-11-30T09:00:00Z")]
    [InlineData("2026-12-02T17:30:00Z", "2026-11-30T09:00:00Z")] // a misfire caught up two days late
    [InlineData("2026-11-30T08:59:59Z", "2026-11-23T09:00:00Z")] // just before: the previous week
    public void ASlotIsTheLatestOccurrenceAtOrBeforeTheTime(string time, string slot)
    {
        var slots = new SendSlots(Options.Create(new DigestOptions { Schedule = "0 0 9 ? * MON", TimeZone = "UTC" }), TimeProvider.System);

        Assert.Equal(slot, slots.ForTime(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void AManualSendNamesTheCurrentPeriodInTheScheduleZone()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var slots = new SendSlots(Options.Create(new DigestOptions { Schedule = "0 0 9 ? * MON", TimeZone = "Europe/Berlin" }), clock);

        // 09:00 in Berlin is 08:00 UTC in winter: at 08:30 UTC this Monday's issue is due.
        Assert.Equal("2026-11-30T08:00:00Z", slots.Manual());
    }

    [Fact]
    public void ABuiltMailIsNotKeptAliveByTheFactory()
    {
        // A shared From address once held on to every message built (MimeKit's address lists
        // subscribe to their addresses' events): memory grew by a mail per recipient.
        var factory = new MailFactory(Options.Create(new Newsletter.Hosting.NewsletterOptions
        {
            From = "AI Tool Verdicts <digest@verdicts.example.com>", ReplyTo = "Editors <editors@verdicts.example.com>",
        }));

        var built = BuildAndForget(factory);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(built.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference BuildAndForget(MailFactory factory) =>
        new(factory.Build(new OutgoingMail(new MimeKit.MailboxAddress("Reader", "reader@example.com"), "Subject", "<p>html</p>", "text")));
}
