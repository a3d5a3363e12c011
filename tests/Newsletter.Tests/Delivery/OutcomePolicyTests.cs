using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Delivery;
using Newsletter.Mail;
using Newsletter.Mail.Failures;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// The outcome policy as a unit: what one SMTP answer means for the delivery, the reader and the send.
/// The cases a black-box probe found: a server that refuses everyone must pause, not bounce the list.
/// </summary>
public sealed class OutcomePolicyTests
{
    private static readonly SendOutcome Unknown = new(SendResult.RecipientUnknown, "SMTP 550 (RecipientNotAccepted): 5.1.1 User unknown",
        FailureRules.Classify(550, null, "5.1.1 User unknown"));
    private static readonly SendOutcome Bare550 = new(SendResult.Refused, "SMTP 550 (RecipientNotAccepted): Requested action not taken",
        FailureRules.Classify(550, null, "Requested action not taken"));
    private static readonly SendOutcome Denied = new(SendResult.Refused, "SMTP 554 (SenderNotAccepted): 5.7.1 blocked",
        FailureRules.Classify(554, null, "5.7.1 blocked"));
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private OutcomePolicy Policy(int connections = 2) => new(
        new RetryPolicy(Options.Create(new DeliveryOptions { RetryDelay = TimeSpan.FromMinutes(1), MaxAttempts = 3 })),
        _clock, connections, 7, NullLogger.Instance);

    private static ClaimedDelivery Reader(long id, int attempts = 0, string domain = "example.com") =>
        new(id, 1000 + id, attempts, $"r{id}@{domain}", null, SubscriberStatus.Confirmed, "token");

    [Fact]
    public void AnUnknownUserIsHeldUntilALaterMailGoesThroughThenBounces()
    {
        var policy = Policy();

        var held = policy.Decide(Reader(1, domain: "a.example"), Unknown, policy.StartTicket());
        var after = policy.Decide(Reader(3, domain: "b.example"), SendOutcome.Sent, policy.StartTicket());

        Assert.Empty(held);
        Assert.Equal(2, after.Count);
        var bounced = after.Single(r => r.Id == 1);
        Assert.Equal((DeliveryStatus.Failed, 1, (long?)1001), (bounced.Status, bounced.Attempts, bounced.BouncedSubscriberId));
        Assert.Equal((FailureReason.UserUnknown, "5.1.1"), (bounced.Failure!.Reason, bounced.Failure.Status));
        Assert.Equal(0, policy.HeldCount);
        Assert.Null(policy.PauseReason);
    }

    [Fact]
    public void ADomainWhereEveryReaderIsCalledUnknownIsRetriedNotBouncedWhileOtherDomainsTakeMail()
    {
        var policy = Policy(connections: 2);
        var records = new List<DeliveryRecord>();
        for (var i = 1; i < policy.RunLength; i++)
        {
            records.AddRange(policy.Decide(Reader(i, domain: "lost.example"), Unknown, policy.StartTicket()));
            records.AddRange(policy.Decide(Reader(100 + i, domain: $"fine{i}.example"), SendOutcome.Sent, policy.StartTicket()));
        }

        // The first refusals there were believed (others took mail); from RunLength on, that domain is the relay's problem.
        for (var i = 0; i < 5; i++)
        {
            records.AddRange(policy.Decide(Reader(50 + i, domain: "lost.example"), Unknown, policy.StartTicket()));
            records.AddRange(policy.Decide(Reader(200 + i, domain: $"other{i}.example"), SendOutcome.Sent, policy.StartTicket()));
        }

        var late = records.Where(r => r.Id is >= 50 and < 100).ToList();
        Assert.Equal(5, late.Count);
        Assert.All(late, r => Assert.Equal((DeliveryStatus.Queued, (long?)null), (r.Status, r.BouncedSubscriberId)));
        Assert.Null(policy.PauseReason);
    }

    [Fact]
    public void ABare550WithoutWordsFailsThatDeliveryButBouncesNobody()
    {
        var policy = Policy();

        var held = policy.Decide(Reader(1), Bare550, policy.StartTicket());
        var after = policy.Decide(Reader(2), SendOutcome.Sent, policy.StartTicket());

        Assert.Empty(held);
        var failed = after.Single(r => r.Id == 1);
        Assert.Equal((DeliveryStatus.Failed, (long?)null, FailureReason.Unknown), (failed.Status, failed.BouncedSubscriberId, failed.Failure!.Reason));
    }

    [Fact]
    public void AMailThatStartedBeforeTheRefusalWasSeenDoesNotConfirmIt()
    {
        var policy = Policy();
        var earlier = policy.StartTicket();

        policy.Decide(Reader(1), Unknown, policy.StartTicket());
        var sent = policy.Decide(Reader(2, domain: "other.example"), SendOutcome.Sent, earlier);

        Assert.Single(sent);
        Assert.Equal(1, policy.HeldCount);
    }

    [Fact]
    public void ARefusalThatIsNotAboutTheAddressFailsWithoutABounceOnceAnotherMailGoesThrough()
    {
        var policy = Policy();

        policy.Decide(Reader(1), Denied, policy.StartTicket());
        var records = policy.Decide(Reader(2), SendOutcome.Sent, policy.StartTicket());

        var failed = records.Single(r => r.Id == 1);
        Assert.Equal((DeliveryStatus.Failed, (long?)null), (failed.Status, failed.BouncedSubscriberId));
        Assert.Equal((FailureReason.Policy, FailureConsequence.Sender), (failed.Failure!.Reason, failed.Failure.Consequence));
    }

    [Fact]
    public void ARelayThatCallsEveryAddressAtManyDomainsUnknownPausesAndBouncesNobody()
    {
        // Issue 27: "550 5.1.1 <rcpt>: Recipient address rejected: User unknown in virtual mailbox table" to every RCPT.
        var policy = Policy(connections: 2);
        var relay = SmtpFailure.Classify(new MailKit.Net.Smtp.SmtpCommandException(MailKit.Net.Smtp.SmtpErrorCode.RecipientNotAccepted,
            MailKit.Net.Smtp.SmtpStatusCode.MailboxUnavailable, new MimeKit.MailboxAddress("", "r@x.example"),
            "5.1.1 <r@x.example>: Recipient address rejected: User unknown in virtual mailbox table"));
        var records = new List<DeliveryRecord>();

        for (var i = 1; i <= policy.RunLength; i++)
        {
            records.AddRange(policy.Decide(Reader(i, domain: $"d{i}.example"), relay, policy.StartTicket()));
        }

        Assert.Equal(SendResult.RecipientUnknown, relay.Result);
        Assert.Contains("relay", policy.PauseReason, StringComparison.Ordinal);
        Assert.Contains("at 10 domains", policy.PauseReason, StringComparison.Ordinal);
        Assert.Contains("nobody was bounced", policy.PauseReason, StringComparison.Ordinal);
        Assert.All(records, r => Assert.Equal((DeliveryStatus.Queued, 0, (long?)null), (r.Status, r.Attempts, r.BouncedSubscriberId)));
        Assert.Equal(10, records.Count);
    }

    [Fact]
    public void ARunOfRefusalsAcrossReadersPausesAndPutsEveryoneBackWithoutABounce()
    {
        var policy = Policy(connections: 2);
        var records = new List<DeliveryRecord>();

        for (var i = 1; i <= policy.RunLength; i++)
        {
            records.AddRange(policy.Decide(Reader(i), i % 2 == 0 ? Bare550 : Denied, policy.StartTicket()));
        }

        Assert.Equal(10, policy.RunLength);
        Assert.Contains("refused permanently", policy.PauseReason, StringComparison.Ordinal);
        Assert.Equal(10, records.Count);
        Assert.All(records, r => Assert.Equal((DeliveryStatus.Queued, 0, (long?)null), (r.Status, r.Attempts, r.BouncedSubscriberId)));

        // What comes in after the pause goes back too, and a late success bounces nobody.
        Assert.Equal(DeliveryStatus.Queued, Assert.Single(policy.Decide(Reader(11), Bare550, policy.StartTicket())).Status);
        Assert.Single(policy.Decide(Reader(12), SendOutcome.Sent, policy.StartTicket()));
    }

    [Fact]
    public void RefusalsNobodyConfirmedAreRetriedLaterNotBounced()
    {
        var policy = Policy();
        policy.Decide(Reader(1), Unknown, policy.StartTicket());

        var settled = Assert.Single(policy.SettleUnconfirmed());

        Assert.Equal((DeliveryStatus.Queued, 1, (long?)null), (settled.Status, settled.Attempts, settled.BouncedSubscriberId));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(1), settled.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Failed, Assert.Single(PolicyAfterAttempts(2).SettleUnconfirmed()).Status);
    }

    [Fact]
    public void ARunOfTemporaryFailuresPausesAndAnUnreachableServerPausesAtOnce()
    {
        var temporary = Policy();
        for (var i = 1; i < temporary.RunLength; i++)
        {
            Assert.Equal(DeliveryStatus.Queued, Assert.Single(temporary.Decide(Reader(i), new SendOutcome(SendResult.Temporary, "451"), temporary.StartTicket())).Status);
        }

        Assert.Null(temporary.PauseReason);
        temporary.Decide(Reader(99), new SendOutcome(SendResult.Temporary, "451"), temporary.StartTicket());
        Assert.NotNull(temporary.PauseReason);

        var down = Policy();
        var record = Assert.Single(down.Decide(Reader(1, attempts: 2), new SendOutcome(SendResult.Unavailable, "refused"), down.StartTicket()));
        Assert.Equal((DeliveryStatus.Queued, 2), (record.Status, record.Attempts));
        Assert.Equal("refused", down.PauseReason);
    }

    [Fact]
    public void AnAddressTheServerCannotCarryFailsThatDeliveryOnly()
    {
        var policy = Policy();

        var record = Assert.Single(policy.Decide(Reader(1), new SendOutcome(SendResult.NotSendable, "no SMTPUTF8"), policy.StartTicket()));

        Assert.Equal((DeliveryStatus.Failed, (long?)null, "no SMTPUTF8"), (record.Status, record.BouncedSubscriberId, record.Error));
        Assert.Null(policy.PauseReason);
    }

    private OutcomePolicy PolicyAfterAttempts(int attempts)
    {
        var policy = Policy();
        policy.Decide(Reader(1, attempts), Unknown, policy.StartTicket());
        return policy;
    }
}
