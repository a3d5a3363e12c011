using System.CommandLine;
using Newsletter.Digests;
using Newsletter.Web;

namespace Newsletter.Delivery;

/// <summary>`send-now`: make the current period's issue and send it in the foreground.</summary>
public static class DeliveryCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var sendNow = new Command("send-now",
            "Assemble the digest as the schedule would and send it now, in the foreground (progress on stderr). " +
            "Run again after an interruption, it resumes the same issue.");
        sendNow.SetAction(async (_, ct) =>
        {
            var slot = services.GetRequiredService<SendSlots>().Manual();
            var made = await services.GetRequiredService<IssueMaker>().MakeAsync(slot, ct);
            if (made.Issue is not { } issue)
            {
                Console.WriteLine("Nothing to send: no comparison was published since the last issue (Digest:SendWhenEmpty is false).");
                return 0;
            }

            Console.WriteLine(made.Created
                ? $"Issue #{issue.Number} made for slot {slot}: {made.Recipients} recipients."
                : $"Issue #{issue.Number} (slot {slot}) already exists: {issue.Status.ToString().ToLowerInvariant()}.");
            await services.GetRequiredService<IAuditLog>().RecordAsync("Sent the digest now", $"issue #{issue.Number}", cancellationToken: ct);
            var done = await services.GetRequiredService<DeliveryEngine>().SendIssueAsync(issue.Id, ct);
            if (await services.GetRequiredService<IssueLifecycle>().IssueAsync(issue.Id, ct) is { SecondSubjectTemplate: not null, SubjectWinner: null } waiting)
            {
                // A subject test: the sample is out; the rest waits for the winner, which the worker sends.
                Console.WriteLine($"Issue #{issue.Number}: subject test sample sent ({done.Sent} sent, {done.Failed} failed, {done.Skipped} skipped); " +
                    $"the rest waits for the winner until {waiting.SubjectTestEndsAt:u} and goes out from the worker then (or run send-now again after that).");
                return 0;
            }

            Console.WriteLine($"Issue #{issue.Number} sent: {done.Sent} sent, {done.Failed} failed, {done.Skipped} skipped.");
            return 0;
        });
        yield return sendNow;
    }
}
