using Quartz;

namespace Newsletter.Inbound;

/// <summary>
/// The mailbox check, as Quartz fires it (Inbound:Schedule). A failure is logged in one line and
/// recorded for /health; the next sign-in waits longer after each failure in a row (InboundStatus).
/// </summary>
[DisallowConcurrentExecution]
public sealed class InboundJob(InboundMailbox mailbox, InboundStatus status, ILogger<InboundJob> logger) : IJob
{
    public static readonly JobKey Key = new("inbound-mailbox", "newsletter");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (!status.MayTry)
        {
            return;
        }

        try
        {
            await mailbox.CheckAsync(cancellationToken);
        }
        catch (Exception e) when (IsMailboxFailure(e))
        {
            status.Failed(e.Message);
            logger.LogWarning("Inbound mailbox check failed ({Times} in a row), next try after {RetryAt:u}: {Error}",
                status.Failure?.Times, status.Failure?.RetryAt, e.Message);
        }
    }

    /// <summary>What the mailbox or its settings can do wrong (not a bug of ours): logged and shown, not thrown.</summary>
    public static bool IsMailboxFailure(Exception e) =>
        e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.Security.AuthenticationException
            or MailKit.CommandException or MailKit.FolderNotFoundException or InboundFolderException or TimeoutException;
}
