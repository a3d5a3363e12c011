using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail.Outbox;

namespace Newsletter.Subscribers;

/// <summary>
/// The confirmation mails owed: pending readers whose <see cref="Subscriber.ConfirmationMailDueAt"/>
/// has come. Each try makes a fresh link and stores its hash before sending; only a mail the server
/// took counts for the resend block. Given up after <see cref="ConfirmationMailer.MaxAttempts"/>
/// tries, with no resend block either: the reader can ask again through the form.
/// </summary>
public sealed class ConfirmationBacklog(ConfirmationMail mail, IOptions<SubscribersOptions> options, TimeProvider clock) : IMailBacklog
{
    public string Kind => "Confirmation";

    public TimeSpan ClaimFor => ConfirmationMailer.ClaimFor;

    public RetrySchedule Retry => ConfirmationMailer.RetryFrom(options.Value);

    public async Task<IReadOnlyList<DueMail>> DueAsync(IServiceProvider services, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var rows = await Owed(services).Where(s => s.ConfirmationMailDueAt <= now)
            .OrderBy(s => s.ConfirmationMailDueAt).ThenBy(s => s.Id)
            .Select(s => new { s.Id, DueAt = s.ConfirmationMailDueAt!.Value }).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DueMail(this, r.Id, r.DueAt))];
    }

    public Task<DateTimeOffset?> NextDueAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Owed(services).OrderBy(s => s.ConfirmationMailDueAt).Select(s => s.ConfirmationMailDueAt).FirstOrDefaultAsync(cancellationToken);

    public async Task<IOwedMail?> ClaimAsync(IServiceProvider services, long id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var claimed = await Owed(services).Where(s => s.Id == id && s.ConfirmationMailDueAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmationMailDueAt, until), cancellationToken);
        var db = services.GetRequiredService<NewsletterDbContext>();
        var subscriber = claimed == 1 ? await db.Subscribers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) : null;
        return subscriber is { Status: SubscriberStatus.Pending, ConfirmationMailDueAt: not null }
            ? new Claimed(db, subscriber, mail, options.Value, clock)
            : null;
    }

    private static IQueryable<Subscriber> Owed(IServiceProvider services) =>
        services.GetRequiredService<NewsletterDbContext>().Subscribers
            .Where(s => s.Status == SubscriberStatus.Pending && s.ConfirmationMailDueAt != null);

    private sealed class Claimed(NewsletterDbContext db, Subscriber subscriber, ConfirmationMail mail, SubscribersOptions options, TimeProvider clock) : OwedRow
    {
        public override string Recipient => $"subscriber {subscriber.Id}";

        public override int Attempts { get => subscriber.ConfirmationMailAttempts; protected set => subscriber.ConfirmationMailAttempts = value; }

        protected override DateTimeOffset? DueAt { set => subscriber.ConfirmationMailDueAt = value; }

        public override async Task<MimeKit.MimeMessage> BuildAsync(CancellationToken cancellationToken)
        {
            // The link works from the moment the mail may arrive: store its hash first.
            var token = SubscriberTokens.New();
            subscriber.StartConfirmation(SubscriberTokens.Hash(token), clock.GetUtcNow().AddHours(options.ConfirmationTokenHours));
            await db.SaveChangesAsync(cancellationToken);
            return mail.Build(subscriber, token);
        }

        public override Task SentAsync(DateTimeOffset at)
        {
            // Only a mail the server took counts for the resend block.
            subscriber.ConfirmationSentAt = at;
            return base.SentAsync(at);
        }

        protected override Task SaveAsync() => db.SaveChangesAsync(CancellationToken.None);
    }
}
