using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// The last look before mails go out. A claimed delivery can wait in the send queue for a while
/// (up to two batches); a reader who unsubscribes meanwhile must not get the mail. So each worker
/// takes a few deliveries at a time (at most <see cref="ChunkSize"/>, and no more than its share of
/// what waits, so the workers stay busy at the end of a send), reads their subscribers' status in
/// one query, and hands them on one by one (looking again at the rest when a slow server made the
/// look older than <see cref="MaxAge"/>); one who left Confirmed since the claim is marked so, and
/// the worker skips them. What remains is a window of at most <see cref="ChunkSize"/> mails per
/// connection and about <see cref="MaxAge"/>: those already looked at and not yet sent.
/// </summary>
internal static class RecipientRecheck
{
    public const int ChunkSize = 16;

    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public static async IAsyncEnumerable<ClaimedDelivery> ReadAsync(
        ChannelReader<ClaimedDelivery> work, IDeliveryQueue store, int workers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new List<ClaimedDelivery>(ChunkSize);
        var subscriberIds = new List<long>(ChunkSize);
        while (await work.WaitToReadAsync(cancellationToken))
        {
            var share = Math.Clamp(1 + (work.Count / Math.Max(1, workers)), 1, ChunkSize);
            while (chunk.Count < share && work.TryRead(out var delivery))
            {
                chunk.Add(delivery);
                if (delivery.IsDeliverable)
                {
                    subscriberIds.Add(delivery.SubscriberId!.Value);
                }
            }

            Dictionary<long, SubscriberStatus>? statuses = null;
            var lookedAt = 0L;
            foreach (var delivery in chunk)
            {
                if (!delivery.IsDeliverable)
                {
                    yield return delivery;
                    continue;
                }

                if (statuses is null || Stopwatch.GetElapsedTime(lookedAt) > MaxAge)
                {
                    // This one and the rest of the chunk, in one query.
                    lookedAt = Stopwatch.GetTimestamp();
                    statuses = await store.StatusesAsync(subscriberIds, cancellationToken);
                }

                subscriberIds.Remove(delivery.SubscriberId!.Value);

                // Absent: erased since the claim.
                yield return statuses.TryGetValue(delivery.SubscriberId!.Value, out var status)
                    ? status == SubscriberStatus.Confirmed ? delivery : delivery with { SubscriberStatus = status }
                    : delivery with { SubscriberStatus = null };
            }

            chunk.Clear();
            subscriberIds.Clear();
        }
    }
}
