using System.Diagnostics.Metrics;

namespace Newsletter.Telemetry;

/// <summary>
/// The product's own series, on one meter named "Newsletter" that /metrics exports (see README,
/// "Metrics"). Static, so that the place where an outcome is recorded counts it in one line without
/// carrying a dependency: the counters are process-wide, like the runtime's own.
/// </summary>
public static class NewsletterMetrics
{
    public const string MeterName = "Newsletter";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> DeliveryOutcomes = Meter.CreateCounter<long>(
        "newsletter.deliveries", "{mail}", "Digest mails by outcome: sent, failed, bounced (refused for good), skipped (the reader left before the send)");

    private static readonly Counter<long> SignupCount = Meter.CreateCounter<long>(
        "newsletter.signups", "{signup}", "Signups that queued a confirmation mail");

    private static readonly Counter<long> ConfirmationCount = Meter.CreateCounter<long>(
        "newsletter.confirmations", "{subscriber}", "Subscriptions confirmed through the mailed link");

    private static readonly Counter<long> InboundCount = Meter.CreateCounter<long>(
        "newsletter.inbound.messages", "{message}", "Mails read from the inbound mailbox, by kind (bounce, complaint, unsubscribe, ignored, review)");

    private static readonly Counter<long> DomainGuardCount = Meter.CreateCounter<long>(
        "newsletter.domainguard.actions", "{domain}", "The reputation guard: domains paused (trip), resumed and cancelled by an editor (resume, cancel)");

    /// <summary>The outcomes a delivery can end with; anything else (queued again for a retry) is not counted.</summary>
    public static readonly IReadOnlySet<string> Outcomes = new HashSet<string>(StringComparer.Ordinal) { "sent", "failed", "bounced", "skipped" };

    /// <summary>Counts recorded outcomes ("sent", "failed", "bounced", "skipped"; others are ignored).</summary>
    public static void Delivered(IEnumerable<string> outcomes)
    {
        foreach (var group in outcomes.Where(Outcomes.Contains).GroupBy(o => o, StringComparer.Ordinal))
        {
            DeliveryOutcomes.Add(group.Count(), new KeyValuePair<string, object?>("outcome", group.Key));
        }
    }

    public static void SignedUp() => SignupCount.Add(1);

    public static void Confirmed() => ConfirmationCount.Add(1);

    /// <summary>One mail from the inbound mailbox; <paramref name="kind"/> is a short lowercase word.</summary>
    public static void Inbound(string kind) => InboundCount.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A domain paused by the guard ("trip"), or resumed / cancelled by an editor ("resume", "cancel").</summary>
    public static void DomainGuard(string action) => DomainGuardCount.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <summary>The paused domains, read through <paramref name="source"/> (cached there).</summary>
    internal static ObservableGauge<long> ObservePausedDomains(Meter meter, IPausedDomainCount source) =>
        meter.CreateObservableGauge("newsletter.domains.paused", () => source.Current, "{domain}",
            "Recipient domains whose mail the reputation guard holds until an editor resumes them");

    /// <summary>
    /// The queue depth, read through <paramref name="source"/> (cached there): registered once per
    /// host by <see cref="TelemetryServiceCollectionExtensions"/>.
    /// </summary>
    internal static ObservableGauge<long> ObserveQueueDepth(Meter meter, IQueueDepth source) =>
        meter.CreateObservableGauge("newsletter.queue.depth", () => source.Current, "{mail}",
            "Deliveries of unsent issues still queued or being sent");
}

/// <summary>How many deliveries wait; Delivery implements it (the only owner of that table).</summary>
public interface IQueueDepth
{
    /// <summary>A recent value: reading it must be cheap, a scrape calls it.</summary>
    long Current { get; }
}

/// <summary>How many recipient domains are paused; Delivery implements it (it owns the pauses).</summary>
public interface IPausedDomainCount
{
    /// <summary>A recent value: reading it must be cheap, a scrape calls it.</summary>
    long Current { get; }
}
