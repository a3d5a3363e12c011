using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>What an editor's pause or resume did to an issue.</summary>
public enum IssueControlResult
{
    Done,
    NotFound,
    /// <summary>Pause of a sent or already held issue; resume of one that is not paused.</summary>
    NotApplicable,
}

/// <summary>
/// An editor's pause and resume of a send. Pause holds the issue in the database (so it stays paused
/// across restarts and on every instance) and stops this process's running send at once: the mails on
/// the wire finish, the claimed ones go back to the queue. Resume queues it again; the engine goes on
/// from where it stopped, as after any restart.
/// </summary>
public sealed class IssueControl(IServiceScopeFactory scopes, IssueLifecycle lifecycle, DeliveryEngine engine)
{
    public async Task<IssueControlResult> PauseAsync(int number, CancellationToken cancellationToken)
    {
        if (await IdAsync(number, cancellationToken) is not { } id)
        {
            return IssueControlResult.NotFound;
        }

        if (!await lifecycle.HoldAsync(id, cancellationToken))
        {
            return IssueControlResult.NotApplicable;
        }

        engine.Hold(id);
        return IssueControlResult.Done;
    }

    public async Task<IssueControlResult> ResumeAsync(int number, CancellationToken cancellationToken)
    {
        if (await IdAsync(number, cancellationToken) is not { } id)
        {
            return IssueControlResult.NotFound;
        }

        if (!await lifecycle.ReleaseAsync(id, cancellationToken))
        {
            return IssueControlResult.NotApplicable;
        }

        engine.Wake();
        return IssueControlResult.Done;
    }

    /// <summary>
    /// An editor names a subject test's winner before the wait ends ("A" or "B"): the same conditional
    /// update as the timer's, so whichever comes first wins; then the rest goes at once. Null: no such
    /// issue or no test; false: a winner was named already.
    /// </summary>
    public async Task<bool?> PickWinnerAsync(int number, string winner, string editor, CancellationToken cancellationToken)
    {
        if (await IdAsync(number, cancellationToken) is not { } id)
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var tests = scope.ServiceProvider.GetRequiredService<SubjectTests>();
        var issue = await lifecycle.IssueAsync(id, cancellationToken);
        if (issue?.SecondSubjectTemplate is null)
        {
            return null;
        }

        if (!await tests.PickAsync(id, winner, editor, cancellationToken))
        {
            return false;
        }

        await lifecycle.DueNowAsync(id, cancellationToken);
        engine.Wake();
        return true;
    }

    private async Task<long?> IdAsync(int number, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return await db.Issues.Where(i => i.Number == number).Select(i => (long?)i.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
