using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Newsletter.Inbound;

/// <summary>
/// GET /health's "inbound" entry when Inbound:Host is set: the mailbox is reachable (a sign-in now),
/// and how many messages wait in the review folder for a human. Degraded while any do.
/// </summary>
internal sealed class InboundHealthCheck(IOptions<InboundOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return HealthCheckResult.Healthy("off (no Inbound:Host)");
        }

        try
        {
            using var client = new ImapClient();
            await InboundMailbox.ConnectAsync(client, o, cancellationToken);
            var waiting = 0;
            try
            {
                var review = await client.GetFolderAsync(o.ReviewFolder, cancellationToken);
                await review.StatusAsync(StatusItems.Count, cancellationToken);
                waiting = review.Count;
            }
            catch (FolderNotFoundException)
            {
                // No review folder yet: nothing was ever moved there.
            }

            await client.DisconnectAsync(true, cancellationToken);
            var data = new Dictionary<string, object> { ["review"] = waiting };
            return waiting > 0
                ? HealthCheckResult.Degraded($"reachable; {waiting} in {o.ReviewFolder} to review", data: data)
                : HealthCheckResult.Healthy($"reachable; 0 in {o.ReviewFolder} to review", data);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException
            or MailKit.Security.AuthenticationException or ImapCommandException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{o.Host}:{o.Port} unreachable: {e.Message}");
        }
    }
}
