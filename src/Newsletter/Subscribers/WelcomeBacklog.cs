using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail.Outbox;

namespace Newsletter.Subscribers;

/// <summary>
/// The welcome mails owed: confirmed readers whose <see cref="Subscriber.WelcomeMailDueAt"/> has come
/// (set by the confirming POST). Built by <see cref="IWelcomeMail"/>; a welcome given up after
/// <see cref="ConfirmationMailer.MaxAttempts"/> tries is simply not sent.
/// </summary>
public sealed class WelcomeBacklog(IOptions<SubscribersOptions> options) : IMailBacklog
{
    public string Kind => "Welcome";

    public TimeSpan ClaimFor => ConfirmationMailer.ClaimFor;

    public RetrySchedule Retry => ConfirmationMailer.RetryFrom(options.Value);

    public async Task<IReadOnlyList<DueMail>> DueAsync(IServiceProvider services, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var rows = await Owed(services).Where(s => s.WelcomeMailDueAt <= now)
            .OrderBy(s => s.WelcomeMailDueAt).ThenBy(s => s.Id)
            .Select(s => new { s.Id, DueAt = s.WelcomeMailDueAt!.Value }).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DueMail(this, r.Id, r.DueAt))];
    }

    public Task<DateTimeOffset?> NextDueAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Owed(services).OrderBy(s => s.WelcomeMailDueAt).Select(s => s.WelcomeMailDueAt).FirstOrDefaultAsync(cancellationToken);

    public async Task<IOwedMail?> ClaimAsync(IServiceProvider services, long id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var claimed = await Owed(services).Where(s => s.Id == id && s.WelcomeMailDueAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.WelcomeMailDueAt, until), cancellationToken);
        var db = services.GetRequiredService<NewsletterDbContext>();
        var subscriber = claimed == 1 ? await db.Subscribers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) : null;
        return subscriber is { Status: SubscriberStatus.Confirmed, WelcomeMailDueAt: not null }
            ? new Claimed(db, subscriber, services.GetRequiredService<IWelcomeMail>())
            : null;
    }

    private static IQueryable<Subscriber> Owed(IServiceProvider services) =>
        services.GetRequiredService<NewsletterDbContext>().Subscribers
            .Where(s => s.Status == SubscriberStatus.Confirmed && s.WelcomeMailDueAt != null);

    private sealed class Claimed(NewsletterDbContext db, Subscriber subscriber, IWelcomeMail mail) : OwedRow
    {
        public override string Recipient => $"subscriber {subscriber.Id}";

        public override int Attempts { get => subscriber.WelcomeMailAttempts; protected set => subscriber.WelcomeMailAttempts = value; }

        protected override DateTimeOffset? DueAt { set => subscriber.WelcomeMailDueAt = value; }

        public override Task<MimeKit.MimeMessage> BuildAsync(CancellationToken cancellationToken) => mail.BuildAsync(subscriber, cancellationToken);

        protected override Task SaveAsync() => db.SaveChangesAsync(CancellationToken.None);
    }
}
