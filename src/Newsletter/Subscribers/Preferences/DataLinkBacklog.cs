using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail.Outbox;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// The one-time data links owed (<see cref="ReaderDataRequest.MailDueAt"/>): each try makes a fresh
/// token, stores only its hash and starts the link's lifetime before sending. Retried like the
/// confirmation mails.
/// </summary>
public sealed class DataLinkBacklog(DataRequestMail mail, IOptions<SubscribersOptions> options, TimeProvider clock) : IMailBacklog
{
    public string Kind => "Data link";

    public TimeSpan ClaimFor => ConfirmationMailer.ClaimFor;

    public RetrySchedule Retry => ConfirmationMailer.RetryFrom(options.Value);

    public async Task<IReadOnlyList<DueMail>> DueAsync(IServiceProvider services, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var rows = await Owed(services).Where(r => r.MailDueAt <= now).OrderBy(r => r.MailDueAt).ThenBy(r => r.Id)
            .Select(r => new { r.Id, DueAt = r.MailDueAt!.Value }).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DueMail(this, r.Id, r.DueAt))];
    }

    public Task<DateTimeOffset?> NextDueAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Owed(services).OrderBy(r => r.MailDueAt).Select(r => r.MailDueAt).FirstOrDefaultAsync(cancellationToken);

    public async Task<IOwedMail?> ClaimAsync(IServiceProvider services, long id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var claimed = await Owed(services).Where(r => r.Id == id && r.MailDueAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.MailDueAt, until), cancellationToken);
        var db = services.GetRequiredService<NewsletterDbContext>();
        var request = claimed == 1 ? await db.ReaderDataRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) : null;
        var subscriber = request is null ? null
            : await db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == request.SubscriberId, cancellationToken);
        return request is null || subscriber is null ? null : new Claimed(db, request, subscriber, mail, clock);
    }

    private static IQueryable<ReaderDataRequest> Owed(IServiceProvider services) =>
        services.GetRequiredService<NewsletterDbContext>().ReaderDataRequests.Where(r => r.MailDueAt != null);

    private sealed class Claimed(NewsletterDbContext db, ReaderDataRequest request, Subscriber subscriber, DataRequestMail mail, TimeProvider clock) : OwedRow
    {
        public override string Recipient => $"subscriber {subscriber.Id} ({request.Purpose})";

        public override int Attempts { get => request.MailAttempts; protected set => request.MailAttempts = value; }

        protected override DateTimeOffset? DueAt { set => request.MailDueAt = value; }

        public override async Task<MimeKit.MimeMessage> BuildAsync(CancellationToken cancellationToken)
        {
            // The link works from the moment the mail may arrive: store its hash first.
            var token = SubscriberTokens.New();
            request.TokenHash = SubscriberTokens.Hash(token);
            request.ExpiresAt = clock.GetUtcNow() + ReaderDataRequests.LinkLifetime;
            await db.SaveChangesAsync(cancellationToken);
            return mail.Build(subscriber, request.Purpose, token);
        }

        protected override Task SaveAsync() => db.SaveChangesAsync(CancellationToken.None);
    }
}
