using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>
/// The newsletter.queue.depth gauge: deliveries of unsent issues still queued or being sent. A scrape
/// reads a value at most <see cref="MaxAge"/> old, so scrapes never add up to load on the database.
/// </summary>
public sealed class QueueDepth(IServiceScopeFactory scopes) : Telemetry.IQueueDepth
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private long _value;
    private long _readAt = long.MinValue;

    public long Current
    {
        get
        {
            lock (_gate)
            {
                if (_readAt == long.MinValue || Stopwatch.GetElapsedTime(_readAt) > MaxAge)
                {
                    _value = Read();
                    _readAt = Stopwatch.GetTimestamp();
                }

                return _value;
            }
        }
    }

    private long Read()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var unsent = db.Issues.Where(i => i.Status != DigestIssueStatus.Sent).Select(i => i.Id);
        return db.Deliveries.LongCount(d => unsent.Contains(d.IssueId) && (d.Status == DeliveryStatus.Queued || d.Status == DeliveryStatus.Sending));
    }
}
