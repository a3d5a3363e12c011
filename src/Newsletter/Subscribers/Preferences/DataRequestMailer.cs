using Newsletter.Mail;
using Newsletter.Mail.Outbox;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// Sends the one-time data links that are due (<see cref="DataLinkBacklog"/>); the preference
/// page's ask queues one and rings <see cref="OutboxMailer.Wake"/>.
/// </summary>
public sealed class DataRequestMailer(DataLinkBacklog backlog, IMailSender sender, IServiceScopeFactory scopes, TimeProvider clock, ILogger<DataRequestMailer> logger)
    : OutboxMailer(sender, scopes, clock, logger)
{
    protected override IReadOnlyList<IMailBacklog> Backlogs { get; } = [backlog];
}
