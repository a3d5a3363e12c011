using Newsletter.Mail.Failures;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// All the send engine knows of the database, as listmonk's manager knows its store, in three parts
/// by their users: the sender lease (<see cref="ISenderLeases"/>: who may send), the queue the
/// engine claims from and records to (<see cref="IDeliveryQueue"/>), and the read side the API,
/// the console and the gauges share (<see cref="IDeliveryReads"/>). One implementation per database
/// (<see cref="SqliteDeliveryStore"/>, <see cref="PostgresDeliveryStore"/>) holds only what differs
/// there (SQLite's single writer; PostgreSQL's SKIP LOCKED, unnest and shared rate window); the SQL
/// that differs only by dialect is written once (<see cref="DeliveryReads"/>, <see cref="DeliveryQueue{TDb}"/>,
/// <see cref="SenderLeases{TDb}"/>, <see cref="RecipientQueue"/>).
/// </summary>
public interface IDeliveryStore
{
    ISenderLeases Leases { get; }

    IDeliveryQueue Queue { get; }

    IDeliveryReads Reads { get; }

    /// <summary>The clock the leases' expiries and the queue's due times are measured by: the engine waits by it too.</summary>
    TimeProvider Clock { get; }

    /// <summary>
    /// Smtp:MaxMessagesPerSecond as a limiter for one run (null: no limit). It holds for every engine
    /// sending from this database at once: a local token bucket where one engine sends (SQLite), a
    /// share of a rate window in the database where several do (PostgreSQL).
    /// </summary>
    System.Threading.RateLimiting.RateLimiter? CreateRateLimiter(int perSecond);
}

/// <summary>
/// This engine's lease: a row with a random id and an expiry, renewed while it sends. Each claimed
/// delivery names the lease that claimed it; rows of a lease that expired go back to the queue, and
/// an engine whose lease is gone can neither claim nor record. How many engines may hold a lease at
/// once is the store's rule: one on SQLite (a single writer anyway), several on a database built
/// for it (they share a send).
/// </summary>
public interface ISenderLeases
{
    /// <summary>This engine's lease id, new per process: what its claimed rows record as their owner.</summary>
    long Id { get; }

    /// <summary>
    /// Takes (or renews) this engine's lease for <paramref name="duration"/>, and puts back what this
    /// issue had claimed under leases that expired (and under this engine's own earlier run): those
    /// mails were in flight when their sender died or stopped, and may now go twice.
    /// </summary>
    Task<LeaseTake> AcquireAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends this engine's lease and puts back the issue's rows claimed under expired leases (an
    /// instance that died while the others send). Held false: the lease is gone (expired and
    /// taken over); the engine must stop.
    /// </summary>
    Task<LeaseRenewal> RenewAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Frees this engine's lease, so the next sender need not wait for it to expire.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);

    /// <summary>Writes this engine's current send rate on its lease row, for <see cref="RateAsync"/> in any process.</summary>
    Task ReportRateAsync(double ratePerSecond, CancellationToken cancellationToken);

    /// <summary>
    /// The issue's send rate summed over the live leases sending it: the whole cluster's, whichever
    /// process asks (null: no live lease sends it).
    /// </summary>
    Task<double?> RateAsync(long issueId, CancellationToken cancellationToken);
}

/// <summary>
/// The database as the queue, as the engine's run sees it: claim, record, and the looks the claimer
/// and the connections take between (one delivery row per issue and recipient).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the database is the queue (ENGINEERING.md)")]
public interface IDeliveryQueue
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> queued deliveries that are due, with id above
    /// <paramref name="afterId"/>, in id order, for this engine's lease (<see cref="SenderLeaseLostException"/>
    /// when it holds none).
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, CancellationToken cancellationToken) =>
        ClaimAsync(issueId, afterId, limit, null, cancellationToken);

    /// <summary>
    /// As above; a subject test's rest ("R" rows) is claimed only when the issue's winner in the
    /// database is <paramref name="winner"/>, the one the run's mails are built with (null: never).
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, string? winner, CancellationToken cancellationToken);

    /// <summary>Where outcomes are recorded: a writer for a run's many groups of them, disposed when the run ends.</summary>
    IOutcomeWriter OpenOutcomeWriter();

    /// <summary>Of these subscribers, the status of each (absent: erased): the last look before their mails go out.</summary>
    Task<Dictionary<long, SubscriberStatus>> StatusesAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken);

    /// <summary>When the next queued delivery of the issue is due (null: none is queued), a subject test's rest counted only once a winner is named.</summary>
    Task<DateTimeOffset?> NextDueAsync(long issueId, CancellationToken cancellationToken) =>
        NextDueAsync(issueId, Gate.AnyWinner, cancellationToken);

    /// <summary>As above; a subject test's rest counts only when the issue's winner is <paramref name="winner"/> (null: never).</summary>
    Task<DateTimeOffset?> NextDueAsync(long issueId, string? winner, CancellationToken cancellationToken);

    /// <summary>Whether an editor holds (paused) the issue: the claimer looks before each batch, so any instance's pause stops the send.</summary>
    Task<bool> IsHeldAsync(long issueId, CancellationToken cancellationToken);
}

/// <summary>The deliveries as the API, the console, the gauges and the engine's progress read them: counts, never rows.</summary>
public interface IDeliveryReads
{
    Task<DeliveryCounts> CountAsync(long issueId, CancellationToken cancellationToken);

    /// <summary>Deliveries of unsent issues still queued or being sent: the queue-depth gauge.</summary>
    Task<long> DepthAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A claimed delivery with what the mail needs from its subscriber (null fields: erased), and its
/// subject test variant ("A", "B", "R"; null: no test), which picks its subject.
/// </summary>
public sealed record ClaimedDelivery(
    long Id, long? SubscriberId, int Attempts, string? Email, string? Name, SubscriberStatus? SubscriberStatus, string? UnsubscribeToken,
    string? Variant = null)
{
    /// <summary>Only a subscriber who is still confirmed gets the mail; the rest are skipped.</summary>
    public bool IsDeliverable => SubscriberStatus == Subscribers.SubscriberStatus.Confirmed && Email is not null && UnsubscribeToken is not null;
}

/// <summary>
/// How one claimed delivery ends (or goes back to the queue); for a failure, what the failure table
/// made of it (its reason and status code are kept with the delivery beside the server's words).
/// </summary>
public readonly record struct DeliveryRecord(
    long Id, DeliveryStatus Status, int Attempts, DateTimeOffset? NextAttemptAt, string? Error, long? BouncedSubscriberId = null,
    FailureVerdict? Failure = null);

/// <summary>The deliveries of an issue by status.</summary>
public sealed record DeliveryCounts(int Queued, int Sending, int Sent, int Failed, int Skipped)
{
    public int Total => Queued + Sending + Sent + Failed + Skipped;

    public int Done => Sent + Failed + Skipped;

    public int Remaining => Queued + Sending;
}

/// <summary>Taking the lease: acquired with the rows put back, or the live holder that keeps this engine out.</summary>
public sealed record LeaseTake(bool Acquired, int Released, LeaseHolder? Holder);

/// <summary>Renewing the lease: still held, and the rows of expired leases put back meanwhile.</summary>
public readonly record struct LeaseRenewal(bool Held, int Released);

/// <summary>The subject test's gate on the rest, as the queue's SQL reads it.</summary>
public static class Gate
{
    /// <summary>For <see cref="IDeliveryQueue.NextDueAsync(long, string?, CancellationToken)"/>: the rest counts once any winner is named.</summary>
    public const string AnyWinner = "*";

    /// <summary>The SQL condition (d: the delivery; @issue, @winner its parameters): a delivery of no test, of the sample, or of the rest once the issue names @winner ("*": any).</summary>
    public const string Sql =
        "(d.Variant IS NULL OR d.Variant <> 'R' OR EXISTS (SELECT 1 FROM Issues gi WHERE gi.Id = @issue AND gi.SubjectWinner IS NOT NULL AND (CAST(@winner AS TEXT) = '*' OR gi.SubjectWinner = CAST(@winner AS TEXT))))";
}
