using Newsletter.Mail;
using Newsletter.Mail.Outbox;

namespace Newsletter.Subscribers;

/// <summary>
/// Sends the confirmation and welcome mails that are due (<see cref="ConfirmationBacklog"/>,
/// <see cref="WelcomeBacklog"/>), in the order they fell due, whichever kind; POST /subscribe and
/// /confirm queue them and ring <see cref="OutboxMailer.Wake"/>. A failed try goes again after
/// Subscribers:ConfirmationRetrySeconds, doubling to at most an hour, up to <see cref="MaxAttempts"/> tries.
/// </summary>
public sealed class ConfirmationMailer(
    ConfirmationBacklog confirmations,
    WelcomeBacklog welcomes,
    IMailSender sender,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<ConfirmationMailer> logger) : OutboxMailer(sender, scopes, clock, logger)
{
    public const int MaxAttempts = 12;

    /// <summary>How long a claimed mail belongs to the instance sending it: well past an SMTP timeout (60 s).</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    protected override IReadOnlyList<IMailBacklog> Backlogs { get; } = [confirmations, welcomes];

    /// <summary>The retries of the readers' mails (confirmations, welcomes, data links).</summary>
    public static RetrySchedule RetryFrom(SubscribersOptions options) =>
        new(TimeSpan.FromSeconds(options.ConfirmationRetrySeconds), TimeSpan.FromHours(1), MaxAttempts);
}
