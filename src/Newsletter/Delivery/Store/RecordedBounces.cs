using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// The readers a group of outcomes bounced, on either database, inside the group's transaction: the
/// Subscribers feature writes its own table (EF Core on the store's connection), and the queue skips
/// their other unsent mail.
/// </summary>
internal static class RecordedBounces
{
    public static async Task ApplyAsync(
        IServiceScopeFactory scopes, DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> subscriberIds,
        long now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        context.Database.SetDbConnection(connection, contextOwnsConnection: false);
        await context.Database.UseTransactionAsync(transaction, cancellationToken);
        await SubscriberStatusChanges.BounceAsync(context, subscriberIds, DateTimeOffset.FromUnixTimeMilliseconds(now),
            scope.ServiceProvider.GetServices<IReaderDepartures>(), cancellationToken);
    }
}
