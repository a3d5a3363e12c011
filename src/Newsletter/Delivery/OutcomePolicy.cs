using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// What a send outcome means for the delivery, the reader and the whole send: the one place that
/// decides sent, retry, fail, bounce, or pause. Shared by a run's connections (thread-safe).
/// <list type="bullet">
/// <item>A refusal that names the address as the problem (5.1.x, 5.2.1) fails the delivery and bounces
/// the reader at once.</item>
/// <item>Any other permanent refusal (a bare 550 on RCPT, 5.7.1, 554 on MAIL or DATA …) could be about
/// the reader or about us: it is held until a mail that started after it was seen goes through (the
/// server takes mail, so it was about this one: a bare RCPT refusal bounces, the rest fail), or until
/// <see cref="RunLength"/> such refusals pile up with nothing sent between (a server that refuses
/// everyone: the issue pauses, those deliveries go back to the queue, nobody is bounced).</item>
/// <item>A run of <see cref="RunLength"/> temporary failures, or a server that cannot be reached,
/// pauses the issue too; single temporary failures are retried with backoff.</item>
/// </list>
/// </summary>
internal sealed partial class OutcomePolicy(RetryPolicy retry, TimeProvider clock, int connections, int issueNumber, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<Held> _held = [];
    private long _sequence;
    private int _consecutiveTemporary;
    private string? _pauseReason;

    /// <summary>How many failures in a row (across readers, with nothing sent between) mean a server-wide problem.</summary>
    public int RunLength { get; } = Math.Max(10, 3 * connections);

    /// <summary>Set once the send should pause; the rest of the claimed mail goes back to the queue.</summary>
    public string? PauseReason => Volatile.Read(ref _pauseReason);

    /// <summary>An editor paused the issue: the send stops as for any pause; what is claimed and not sent goes back to the queue.</summary>
    public void Hold() => RequestPause("paused by an editor");

    /// <summary>Refusals waiting for a verdict (claimed and not yet recorded).</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Taken just before a mail goes out: orders sends against the refusals seen.</summary>
    public long StartTicket() => Interlocked.Increment(ref _sequence);

    /// <summary>
    /// The records to write for this outcome: usually one; none while a refusal is held; more when a
    /// success settles the refusals held before it, or a run of refusals pauses the send.
    /// </summary>
    public IReadOnlyList<DeliveryRecord> Decide(ClaimedDelivery d, SendOutcome outcome, long startTicket)
    {
        var attempts = d.Attempts + 1;
        switch (outcome.Result)
        {
            case SendResult.Sent:
                Volatile.Write(ref _consecutiveTemporary, 0);
                return [new DeliveryRecord(d.Id, DeliveryStatus.Sent, attempts, null, null), .. ReleaseBefore(startTicket)];
            case SendResult.RecipientUnknown:
                LogRejected(logger, issueNumber, d.Id, outcome.Error);
                return [new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, outcome.Error, d.SubscriberId)];
            case SendResult.NotSendable:
                LogRejected(logger, issueNumber, d.Id, outcome.Error);
                return [new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, outcome.Error)];
            case SendResult.RecipientRefused or SendResult.Refused:
                return Hold(d, outcome);
            case SendResult.Unavailable:
                RequestPause(outcome.Error ?? "the SMTP server is unavailable");
                return [Unsent(d, outcome.Error)];
            default:
                if (Interlocked.Increment(ref _consecutiveTemporary) >= RunLength)
                {
                    // Everyone is failing: a server-wide problem, not this reader's. Stop spending attempts.
                    RequestPause($"{RunLength} mails in a row failed temporarily; last: {outcome.Error}");
                }

                LogTemporary(logger, issueNumber, d.Id, attempts, outcome.Error);
                return [Retry(d, attempts, outcome.Error)];
        }
    }

    /// <summary>
    /// Nothing else is in flight and refusals are still held (no mail went through after them, but too
    /// few for a run): not sure they are about the readers, so they are retried later like a 4xx.
    /// </summary>
    public IReadOnlyList<DeliveryRecord> SettleUnconfirmed()
    {
        lock (_gate)
        {
            var records = _held.Select(h => Retry(h.Delivery, h.Delivery.Attempts + 1, h.Outcome.Error + " (retried: no other mail went through to tell whether it was about this reader)")).ToList();
            _held.Clear();
            return records;
        }
    }

    /// <summary>The run stops (paused or stopping): held refusals go back to the queue, no attempt spent.</summary>
    public IReadOnlyList<DeliveryRecord> Drain()
    {
        lock (_gate)
        {
            var records = _held.Select(h => Unsent(h.Delivery, h.Outcome.Error)).ToList();
            _held.Clear();
            return records;
        }
    }

    /// <summary>A delivery the run did not get to: back to the queue as it was.</summary>
    public static DeliveryRecord Unsent(ClaimedDelivery d, string? error = null) =>
        new(d.Id, DeliveryStatus.Queued, d.Attempts, null, error);

    private List<DeliveryRecord> Hold(ClaimedDelivery d, SendOutcome outcome)
    {
        lock (_gate)
        {
            if (PauseReason is not null)
            {
                return [Unsent(d, outcome.Error)];
            }

            _held.Add(new Held(d, outcome, Interlocked.Increment(ref _sequence)));
            if (_held.Count < RunLength)
            {
                return [];
            }

            var readers = _held.Select(h => h.Delivery.SubscriberId).Distinct().Count();
            RequestPause($"{_held.Count} mails to {readers} different readers in a row were refused permanently and none went through " +
                $"(a server that refuses everyone: nobody was bounced, their mails went back to the queue); last: {outcome.Error}");
            LogRefusalRun(logger, issueNumber, _held.Count, outcome.Error);
            var back = _held.Select(h => Unsent(h.Delivery, h.Outcome.Error)).ToList();
            _held.Clear();
            return back;
        }
    }

    /// <summary>A mail that started after these refusals went through: they were about their own readers.</summary>
    private List<DeliveryRecord> ReleaseBefore(long startTicket)
    {
        lock (_gate)
        {
            if (_held.Count == 0)
            {
                return [];
            }

            var records = new List<DeliveryRecord>();
            foreach (var h in _held.Where(h => h.SeenAt < startTicket))
            {
                LogRejected(logger, issueNumber, h.Delivery.Id, h.Outcome.Error);
                records.Add(new DeliveryRecord(h.Delivery.Id, DeliveryStatus.Failed, h.Delivery.Attempts + 1, null, h.Outcome.Error,
                    h.Outcome.Result == SendResult.RecipientRefused ? h.Delivery.SubscriberId : null));
            }

            _held.RemoveAll(h => h.SeenAt < startTicket);
            return records;
        }
    }

    private DeliveryRecord Retry(ClaimedDelivery d, int attempts, string? error) => retry.ShouldRetry(attempts)
        ? new DeliveryRecord(d.Id, DeliveryStatus.Queued, attempts, clock.GetUtcNow() + retry.DelayAfter(attempts), error)
        : new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, error);

    private void RequestPause(string reason) => Interlocked.CompareExchange(ref _pauseReason, reason, null);

    private sealed record Held(ClaimedDelivery Delivery, SendOutcome Outcome, long SeenAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}, delivery {DeliveryId}: refused for good: {Error}")]
    private static partial void LogRejected(ILogger logger, int number, long deliveryId, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Issue #{Number}, delivery {DeliveryId}: attempt {Attempt} failed temporarily: {Error}")]
    private static partial void LogTemporary(ILogger logger, int number, long deliveryId, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Issue #{Number}: {Count} permanent refusals in a row across readers and nothing went through; the server refuses everyone (relay denied, blocklisted, misconfigured?): the send pauses and nobody is bounced. Last: {Error}")]
    private static partial void LogRefusalRun(ILogger logger, int number, int count, string? error);
}
