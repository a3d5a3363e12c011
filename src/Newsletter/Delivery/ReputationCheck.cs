using Newsletter.Mail.Failures;

namespace Newsletter.Delivery;

/// <summary>
/// After a commit with sender problems (blocked, content, policy, rate), the reputation guard counts
/// their domains off the connections' threads; one check at a time, since the counts are the issue's
/// so far and the next group's check sees whatever a skipped one would have.
/// </summary>
internal sealed partial class ReputationCheck(DomainGuard guard, IServiceScopeFactory scopes, long issueId, int number, ILogger logger)
{
    private int _checking;

    /// <summary>The recorder's callback after each commit.</summary>
    public void Committed(IReadOnlyList<DeliveryRecord> records)
    {
        var ids = records.Where(r => r.Failure?.Consequence == FailureConsequence.Sender).Select(r => r.Id).ToList();
        if (ids.Count == 0 || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await guard.CheckDeliveriesAsync(scope.ServiceProvider.GetRequiredService<Data.NewsletterDbContext>(), issueId, ids, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogGuardFailed(logger, e, number);
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: the reputation guard could not count this send's sender problems; the next report or send looks again")]
    private static partial void LogGuardFailed(ILogger logger, Exception exception, int number);
}
