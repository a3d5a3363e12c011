using Newsletter.Mail;
using Newsletter.Mail.Failures;

namespace Newsletter.Delivery;

/// <summary>
/// What a send outcome means for the delivery, the reader and the whole send: the one place that
/// decides sent, retry, fail, bounce, or pause. Shared by a run's connections (thread-safe). What a
/// refusal is about comes from <see cref="FailureRules"/>; this class adds what one refusal cannot
/// tell alone: every mail goes through the one relay (Smtp:Host), so a refusal is believed only while
/// the relay evidently takes mail.
/// <list type="bullet">
/// <item>A refusal of a dead address (user-unknown, host-unknown, mailbox-disabled) is held until a
/// mail started after it was seen goes through (the relay takes mail around it: it was about this
/// reader, who is bounced), unless <see cref="RunLength"/> readers at that one domain were called
/// unknown with none of them taking mail (a route the relay lost for that domain): those are retried
/// later, never bounced.</item>
/// <item>Any other permanent refusal (the sender's problem: blocked, spam, policy; a mailbox full; a
/// bare 550 with no words) is held the same way and then fails this delivery for this issue without
/// touching the reader: retrying a refusal the server called permanent only repeats it.</item>
/// <item><see cref="RunLength"/> refusals of either kind piling up with nothing sent between mean the
/// relay refuses everyone (relay denied, blocklisted, a misconfigured virtual table answering "user
/// unknown" for every reader at every domain): the issue pauses, those deliveries go back to the
/// queue, nobody is bounced, and the pause reason says so.</item>
/// <item>A run of <see cref="RunLength"/> temporary failures, or a server that cannot be reached,
/// pauses the issue too; single temporary failures are retried with backoff.</item>
/// </list>
/// </summary>
internal sealed partial class OutcomePolicy(RetryPolicy retry, TimeProvider clock, int connections, int issueNumber, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<Held> _held = [];

    /// <summary>Readers called unknown per recipient domain since a mail to that domain last went through.</summary>
    private readonly Dictionary<string, int> _unknownAtDomain = new(StringComparer.OrdinalIgnoreCase);
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
                return [new DeliveryRecord(d.Id, DeliveryStatus.Sent, attempts, null, null), .. ReleaseBefore(startTicket, DomainOf(d.Email))];
            case SendResult.NotSendable:
                LogRejected(logger, issueNumber, d.Id, outcome.Error);
                return [new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, outcome.Error)];
            case SendResult.RecipientUnknown or SendResult.Refused:
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
                return [Retry(d, attempts, outcome.Error, outcome.Failure)];
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
            var records = _held.Select(h => Retry(h.Delivery, h.Delivery.Attempts + 1,
                h.Outcome.Error + " (retried: no other mail went through to tell whether it was about this reader)", h.Outcome.Failure)).ToList();
            _held.Clear();
            return records;
        }
    }

    /// <summary>The run stops (paused or stopping): held refusals go back to the queue, no attempt spent.</summary>
    public IReadOnlyList<DeliveryRecord> Drain()
    {
        lock (_gate)
        {
            var records = _held.Select(h => Unsent(h.Delivery, h.Outcome)).ToList();
            _held.Clear();
            return records;
        }
    }

    /// <summary>A delivery the run did not get to: back to the queue as it was.</summary>
    public static DeliveryRecord Unsent(ClaimedDelivery d, string? error = null) =>
        new(d.Id, DeliveryStatus.Queued, d.Attempts, null, error);

    private static DeliveryRecord Unsent(ClaimedDelivery d, SendOutcome outcome) =>
        new(d.Id, DeliveryStatus.Queued, d.Attempts, null, outcome.Error, null, outcome.Failure);

    private List<DeliveryRecord> Hold(ClaimedDelivery d, SendOutcome outcome)
    {
        lock (_gate)
        {
            if (PauseReason is not null)
            {
                return [Unsent(d, outcome)];
            }

            var domain = DomainOf(d.Email);
            if (outcome.Result == SendResult.RecipientUnknown)
            {
                _unknownAtDomain[domain] = _unknownAtDomain.GetValueOrDefault(domain) + 1;
            }

            _held.Add(new Held(d, outcome, Interlocked.Increment(ref _sequence), domain));
            if (_held.Count < RunLength)
            {
                return [];
            }

            var readers = _held.Select(h => h.Delivery.SubscriberId).Distinct().Count();
            var domains = _held.Select(h => h.Domain).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            var addresses = _held.Count(h => h.Outcome.Result == SendResult.RecipientUnknown);
            var why = addresses == _held.Count
                ? $"the relay (Smtp:Host) called {addresses} addresses at {domains} different domains unknown and took none: " +
                  "that is the relay's problem (a misconfigured virtual table, a lost route), not the readers'"
                : "a server that refuses everyone";
            RequestPause($"{_held.Count} mails to {readers} different readers at {domains} domains in a row were refused permanently and none went through " +
                $"({why}: nobody was bounced, their mails went back to the queue); last: {outcome.Error}");
            LogRefusalRun(logger, issueNumber, _held.Count, readers, domains, why, outcome.Error);
            var back = _held.Select(h => Unsent(h.Delivery, h.Outcome)).ToList();
            _held.Clear();
            return back;
        }
    }

    /// <summary>
    /// A mail that started after these refusals went through: the relay takes mail, so they were
    /// about their own readers, except at a domain where every reader so far was called unknown.
    /// </summary>
    private List<DeliveryRecord> ReleaseBefore(long startTicket, string successDomain)
    {
        lock (_gate)
        {
            _unknownAtDomain.Remove(successDomain);
            if (_held.Count == 0)
            {
                return [];
            }

            var records = new List<DeliveryRecord>();
            foreach (var h in _held.Where(h => h.SeenAt < startTicket))
            {
                if (h.Outcome.Result == SendResult.RecipientUnknown && _unknownAtDomain.GetValueOrDefault(h.Domain) >= RunLength)
                {
                    LogDomainRefused(logger, issueNumber, h.Delivery.Id, h.Domain, h.Outcome.Error);
                    records.Add(Retry(h.Delivery, h.Delivery.Attempts + 1,
                        $"{h.Outcome.Error} (retried, not bounced: every reader at {h.Domain} was called unknown, a route the relay lost?)", h.Outcome.Failure));
                    continue;
                }

                LogRejected(logger, issueNumber, h.Delivery.Id, h.Outcome.Error);
                records.Add(new DeliveryRecord(h.Delivery.Id, DeliveryStatus.Failed, h.Delivery.Attempts + 1, null, h.Outcome.Error,
                    h.Outcome.Result == SendResult.RecipientUnknown ? h.Delivery.SubscriberId : null, h.Outcome.Failure));
            }

            _held.RemoveAll(h => h.SeenAt < startTicket);
            return records;
        }
    }

    private DeliveryRecord Retry(ClaimedDelivery d, int attempts, string? error, FailureVerdict? failure) => retry.ShouldRetry(attempts)
        ? new DeliveryRecord(d.Id, DeliveryStatus.Queued, attempts, clock.GetUtcNow() + retry.DelayAfter(attempts), error, null, failure)
        : new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, error, null, failure);

    /// <summary>The recipient's domain ("" for an erased reader): what "mail around the refusal" is measured by.</summary>
    private static string DomainOf(string? email) => email is null ? "" : email[(email.LastIndexOf('@') + 1)..];

    private void RequestPause(string reason) => Interlocked.CompareExchange(ref _pauseReason, reason, null);

    private sealed record Held(ClaimedDelivery Delivery, SendOutcome Outcome, long SeenAt, string Domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}, delivery {DeliveryId}: refused for good: {Error}")]
    private static partial void LogRejected(ILogger logger, int number, long deliveryId, string? error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Issue #{Number}, delivery {DeliveryId}: every reader at {Domain} was called unknown and none took mail: retried, not bounced. {Error}")]
    private static partial void LogDomainRefused(ILogger logger, int number, long deliveryId, string domain, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Issue #{Number}, delivery {DeliveryId}: attempt {Attempt} failed temporarily: {Error}")]
    private static partial void LogTemporary(ILogger logger, int number, long deliveryId, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Issue #{Number}: {Count} permanent refusals in a row for {Readers} readers at {Domains} domains and nothing went through ({Why}): the send pauses and nobody is bounced. Last: {Error}")]
    private static partial void LogRefusalRun(ILogger logger, int number, int count, int readers, int domains, string why, string? error);
}
