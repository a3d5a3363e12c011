using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>
/// A subject test's wait as the engine meets it: before a run, the winner is named if the wait has
/// ended (so the run builds the rest's mails with the winner's subject, and may claim them); after a
/// run that sent the sample, the issue pauses until the wait ends, holding no lease. The winner's rule
/// is Digests' (<see cref="SubjectTests"/>); this only says when the engine asks for it.
/// </summary>
internal sealed partial class SubjectTestWait(IssueLifecycle lifecycle, IServiceScopeFactory scopes, ILogger logger)
{
    /// <summary>A subject test whose winner is not named yet, paused: its rest waits for the winner.</summary>
    public static bool RestWaits(DigestIssue issue) =>
        issue is { Status: DigestIssueStatus.Paused, SecondSubjectTemplate: not null, SubjectWinner: null };

    /// <summary>Names the winner before a run when the issue is a subject test whose wait has ended.</summary>
    public async Task DecideIfDueAsync(DigestIssue issue, CancellationToken cancellationToken)
    {
        if (issue.SecondSubjectTemplate is null || issue.SubjectWinner is not null)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SubjectTests>().DecideIfDueAsync(issue.Id, cancellationToken);
    }

    /// <summary>
    /// The sample is sent (all the run could claim): pauses the issue until the wait ends and returns
    /// true; false when the winner was named while the run sent (a new run sends the rest with its
    /// subject at once) or the issue has no wait.
    /// </summary>
    public async Task<bool> PauseForTheWinnerAsync(DigestIssue issue)
    {
        var now = await lifecycle.IssueAsync(issue.Id, CancellationToken.None);
        if (now?.SubjectWinner is not null || now?.SubjectTestEndsAt is not { } ends)
        {
            return false;
        }

        await lifecycle.PauseAsync(issue.Id, ends, $"Subject test: the sample is sent; the rest waits for the winner until {ends:u}", CancellationToken.None);
        LogRestWaits(logger, issue.Number, ends);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue #{Number}: subject test sample sent; the rest waits for the winner until {EndsAt:u}")]
    private static partial void LogRestWaits(ILogger logger, int number, DateTimeOffset endsAt);
}
