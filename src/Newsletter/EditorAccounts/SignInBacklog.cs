using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Mail.Outbox;

namespace Newsletter.EditorAccounts;

/// <summary>
/// The sign-in mails owed: unused, unexpired links whose <see cref="EditorSignInLink.MailDueAt"/> has
/// come. The token is made at send time and only its hash stored; a try that could only arrive after
/// the link expired is not made (the editor asks again).
/// </summary>
public sealed class SignInBacklog(SignInMail mail, TimeProvider clock) : IMailBacklog
{
    public string Kind => "Sign-in";

    public TimeSpan ClaimFor { get; } = TimeSpan.FromMinutes(2);

    /// <summary>Quick at first (an editor is waiting); the link's expiry ends the tries, not a count.</summary>
    public RetrySchedule Retry { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(40), int.MaxValue);

    public async Task<IReadOnlyList<DueMail>> DueAsync(IServiceProvider services, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var rows = await Owed(services, now).Where(l => l.MailDueAt <= now).OrderBy(l => l.MailDueAt).ThenBy(l => l.Id)
            .Select(l => new { l.Id, DueAt = l.MailDueAt!.Value }).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DueMail(this, r.Id, r.DueAt))];
    }

    public Task<DateTimeOffset?> NextDueAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Owed(services, clock.GetUtcNow()).OrderBy(l => l.MailDueAt).Select(l => l.MailDueAt).FirstOrDefaultAsync(cancellationToken);

    public async Task<IOwedMail?> ClaimAsync(IServiceProvider services, long id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var claimed = await Owed(services, now).Where(l => l.Id == id && l.MailDueAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.MailDueAt, until), cancellationToken);
        var db = services.GetRequiredService<NewsletterDbContext>();
        var link = claimed == 1 ? await db.EditorSignInLinks.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) : null;
        var editor = link is null ? null : await db.Editors.AsNoTracking().SingleOrDefaultAsync(e => e.Id == link.EditorId, cancellationToken);
        return link is null || editor is null ? null : new Claimed(db, link, editor, mail);
    }

    private static IQueryable<EditorSignInLink> Owed(IServiceProvider services, DateTimeOffset now) =>
        services.GetRequiredService<NewsletterDbContext>().EditorSignInLinks
            .Where(l => l.MailDueAt != null && l.UsedAt == null && l.ExpiresAt > now);

    private sealed class Claimed(NewsletterDbContext db, EditorSignInLink link, Editor editor, SignInMail mail) : OwedRow
    {
        public override string Recipient => $"editor {editor.Id}";

        public override int Attempts { get => link.MailAttempts; protected set => link.MailAttempts = value; }

        public override DateTimeOffset? Deadline => link.ExpiresAt;

        protected override DateTimeOffset? DueAt { set => link.MailDueAt = value; }

        public override async Task<MimeKit.MimeMessage> BuildAsync(CancellationToken cancellationToken)
        {
            // The link works from the moment the mail may arrive: its hash is stored first.
            var token = SignInLinks.NewToken();
            link.TokenHash = SignInLinks.Hash(token);
            await db.SaveChangesAsync(cancellationToken);
            return mail.Build(editor.Email, editor.Name, token);
        }

        protected override Task SaveAsync() => db.SaveChangesAsync(CancellationToken.None);
    }
}
