using Quartz;

namespace Newsletter.Inbound;

/// <summary>The mailbox check, as Quartz fires it (Inbound:Schedule). A failure is logged and waits for the next fire.</summary>
[DisallowConcurrentExecution]
public sealed class InboundJob(InboundMailbox mailbox, InboundStatus status, ILogger<InboundJob> logger) : IJob
{
    public static readonly JobKey Key = new("inbound-mailbox", "newsletter");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await mailbox.CheckAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException
            or MailKit.Security.AuthenticationException or MailKit.CommandException or TimeoutException)
        {
            status.Failed(e.Message);
            logger.LogWarning("Inbound mailbox check failed, next try at the next fire: {Error}", e.Message);
        }
    }
}
