namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// The product's send path as the end-to-end run drives it: the one file to wire when the digest
/// assembly and the delivery engine land. Until then <see cref="IsWired"/> is false and the run
/// prints "not yet wired". It runs in a child process (EndToEndRun), so its CPU time and peak RSS
/// are the product's alone.
/// </summary>
/// <remarks>
/// Wiring, in the likely shape (names are the product's to choose):
/// <code>
/// var builder = NewsletterHost.CreateBuilder(["send-now"]);          // a command: no Kestrel, no schedule
/// builder.Configuration.AddInMemoryCollection(settings.Configuration);
/// builder.Services.AddNewsletterFeatures();                          // the same chain Program.cs uses
/// var app = builder.Build();
/// MakeIssueAsync  => the Quartz job's first half: assemble the digest for a slot and snapshot the
///                    recipients (INSERT … SELECT of one Deliveries row per confirmed subscriber)
/// SendAsync       => the job's second half: run the delivery engine on that issue until no row is
///                    Queued or Sending (claim, render, send over Smtp:Connections, record)
/// </code>
/// </remarks>
internal sealed class ProductSend : IAsyncDisposable
{
    public const string NotWired = "not yet wired: needs the delivery engine";

    public static bool IsWired => false;

    /// <summary>Builds the product's services against the seeded database and the sink.</summary>
    public static Task<ProductSend> StartAsync(ProductSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException(NotWired);

    /// <summary>Makes the issue for a new slot: the recipient snapshot, timed on its own.</summary>
    public Task<MadeIssue> MakeIssueAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException(NotWired);

    /// <summary>Sends the issue to everyone in its snapshot with the code the schedule runs; returns when done.</summary>
    public Task SendAsync(MadeIssue issue, CancellationToken cancellationToken) =>
        throw new NotSupportedException(NotWired);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>An issue made for the run: its id and how many deliveries its snapshot made.</summary>
internal sealed record MadeIssue(long IssueId, int Recipients);
