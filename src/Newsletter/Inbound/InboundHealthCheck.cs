using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Newsletter.Inbound;

/// <summary>
/// GET /health's "inbound" entry when Inbound:Host is set: the mailbox is reachable (a sign-in now),
/// and how many messages wait in the review folder for a human. Degraded while any do, and Degraded,
/// never Unhealthy, when the mailbox fails (cannot be reached, refuses the password, a folder setting
/// it cannot honour): a mailbox problem must not take the web front out of a load balancer. While the
/// job waits to sign in again after failures (<see cref="InboundStatus"/>), this check does not sign
/// in either: it reports the last failure.
/// </summary>
internal sealed class InboundHealthCheck(IOptions<InboundOptions> options, InboundStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return HealthCheckResult.Healthy("off (no Inbound:Host)");
        }

        if (status.Failure is { } failure)
        {
            return HealthCheckResult.Degraded(
                $"failing ({failure.Times} in a row, last {failure.At:u}; next try after {failure.RetryAt:u}): {failure.Error}");
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
        catch (Exception e) when (InboundJob.IsMailboxFailure(e))
        {
            // Counted like the job's failures, so the next /health waits too instead of signing in again.
            status.Failed(e.Message);
            return HealthCheckResult.Degraded($"unreachable or sign-in refused: {e.Message}");
        }
    }
}
