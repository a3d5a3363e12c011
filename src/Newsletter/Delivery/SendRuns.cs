using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// The engine's messenger side, as listmonk's manager has a messenger beside its store: whether this
/// binary may send to this database, the issue rendered once, and a run wired from its parts (the
/// claimer, the connections, the outcome policy and recorder, the progress line). Each run gets its
/// own parts; nothing passes this class on.
/// </summary>
public sealed class SendRuns(
    IDeliveryStore store, IDigestRenderer renderer, DigestMails mails, IMessengerFactory messengers, RetryPolicy retry,
    IOptions<DeliveryOptions> options, IOptions<SmtpOptions> smtp, ILoggerFactory loggers, DomainGuard guard, IServiceScopeFactory scopes,
    SchemaGuard schema)
{
    /// <summary>An old binary beside an upgraded database sends nothing (throws with the reason).</summary>
    internal Task EnsureCanSendAsync(CancellationToken cancellationToken) => schema.EnsureNotNewerAsync(cancellationToken);

    /// <summary>Renders the issue and wires a run over it, starting from <paramref name="counts"/>.</summary>
    internal async Task<SendRun> CreateAsync(long issueId, DeliveryCounts counts, CancellationToken cancellationToken)
    {
        var digest = await renderer.PrepareAsync(issueId, cancellationToken);
        var settings = smtp.Value;
        var batchSize = options.Value.BatchSize;
        var connections = settings.UsesPickupDirectory ? 1 : settings.Connections;
        var logger = loggers.CreateLogger<DeliveryEngine>();
        var counters = new SendCounters(issueId, digest.Number, counts);
        var policy = new OutcomePolicy(retry, store.Clock, connections, digest.Number, logger);
        var reputation = new ReputationCheck(guard, scopes, issueId, digest.Number, logger);
        var recorder = new OutcomeRecorder(store.Queue, counters, issueId, connections, logger, reputation.Committed);
        var claimer = new Claimer(store.Queue, recorder, policy, store.Clock, issueId, batchSize, digest.SubjectWinner);
        var limiter = store.CreateRateLimiter(settings.MaxMessagesPerSecond);
        var worker = new SendWorker(digest, mails, messengers, store.Queue, policy, recorder, limiter, connections);
        var progress = new RunProgress(store, counters, options.Value.ProgressInterval, logger);
        return new SendRun(counters, policy, recorder, claimer, worker, progress, logger)
        {
            RestWaits = digest.SecondSubject is not null && digest.SubjectWinner is null,
        };
    }
}
