using Newsletter.Mail;
using Newsletter.Mail.Outbox;

namespace Newsletter.EditorAccounts;

/// <summary>
/// Sends the sign-in mails that are due (<see cref="SignInBacklog"/>). POST /admin/signin/mail only
/// queues one and rings <see cref="OutboxMailer.Wake"/>, so its answer and its timing say nothing
/// about whether the address is an editor's.
/// </summary>
public sealed class SignInMailer(SignInBacklog backlog, IMailSender sender, IServiceScopeFactory scopes, TimeProvider clock, ILogger<SignInMailer> logger)
    : OutboxMailer(sender, scopes, clock, logger)
{
    protected override IReadOnlyList<IMailBacklog> Backlogs { get; } = [backlog];
}
