using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>What the signup form sent, and where from.</summary>
public sealed record SignupForm(string? Email, string? Name, string? Website, string? Ip, string Source);

/// <summary>
/// The answer to a signup: accepted (the same for new, pending and confirmed addresses, and for a
/// filled honeypot) or refused with a reason the reader can act on.
/// </summary>
public sealed record SignupResult(string Email, string? Name, string? Error)
{
    public bool Accepted => Error is null;
}

/// <summary>
/// The signup rule. A new, pending, unsubscribed or bounced address becomes pending and gets a
/// confirmation mail with a fresh link, at most once per Subscribers:ConfirmationResendMinutes.
/// A confirmed address changes nothing and gets no mail. The caller cannot tell these apart.
/// </summary>
public sealed class Signup(
    NewsletterDbContext db,
    ConfirmationMailer mailer,
    IOptions<SubscribersOptions> options,
    TimeProvider clock,
    ILogger<Signup> logger)
{
    public const int MaxNameLength = 200;

    /// <summary>
    /// An accepted signup is answered no sooner than this after it arrived. The paths do not cost the
    /// same (a new address inserts a row, a confirmed one updates a column: about half a millisecond
    /// apart, enough to tell them apart over many tries), so every accepted answer waits out the same
    /// floor, far above that work.
    /// </summary>
    public static readonly TimeSpan AnswerFloor = TimeSpan.FromMilliseconds(100);

    public async Task<SignupResult> SubmitAsync(SignupForm form, CancellationToken cancellationToken)
    {
        var arrived = clock.GetTimestamp();
        var result = await DecideAsync(form, cancellationToken);
        if (result.Accepted)
        {
            var left = AnswerFloor - clock.GetElapsedTime(arrived);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, clock, cancellationToken);
            }
        }

        return result;
    }

    private async Task<SignupResult> DecideAsync(SignupForm form, CancellationToken cancellationToken)
    {
        var typed = form.Email?.Trim() ?? "";
        if (!string.IsNullOrEmpty(form.Website))
        {
            // A bot filled the field people cannot see: it gets the normal answer, nobody gets mail.
            logger.LogInformation("Signup from {Ip} ignored: the honeypot field was filled", form.Ip);
            return new SignupResult(typed, form.Name, null);
        }

        var name = CleanName(form.Name);
        if (!EmailAddress.TryParse(form.Email, out var email, out var error))
        {
            return new SignupResult(typed, name, error);
        }

        if (name?.Length > MaxNameLength)
        {
            return new SignupResult(email.Value, name, $"That name is too long: at most {MaxNameLength} characters.");
        }

        if (await RecordAsync(email, name, form, cancellationToken))
        {
            mailer.Wake();
        }

        return new SignupResult(email.Value, name, null);
    }

    /// <summary>Names are one line of text: control characters become spaces; blank means none.</summary>
    public static string? CleanName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        return string.Concat(name.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
    }

    /// <summary>
    /// Decides and records in one write transaction (SQLite's BEGIN IMMEDIATE), so two concurrent
    /// posts of the same address make one subscriber and at most one mail. Every path writes the
    /// row once and none builds the mail (the <see cref="ConfirmationMailer"/> does, from the row);
    /// <see cref="AnswerFloor"/> hides what difference is left. True when a confirmation mail is now owed.
    /// </summary>
    private async Task<bool> RecordAsync(EmailAddress email, string? name, SignupForm form, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subscriber = await db.Subscribers.SingleOrDefaultAsync(s => s.EmailKey == email.Key, cancellationToken);
        var owed = true;
        if (subscriber is null)
        {
            subscriber = new Subscriber
            {
                Email = email.Value,
                EmailKey = email.Key,
                Status = SubscriberStatus.Pending,
                CreatedAt = now,
                UnsubscribeToken = SubscriberTokens.New(),
            };
            db.Subscribers.Add(subscriber);
        }
        else if (subscriber.Status == SubscriberStatus.Confirmed)
        {
            owed = false;
        }
        else if (subscriber.Status == SubscriberStatus.Pending && subscriber.ConfirmationMailDueAt is not null)
        {
            logger.LogInformation("Subscriber {SubscriberId} asked again while their confirmation mail is still queued", subscriber.Id);
            owed = false;
        }
        else if (subscriber.Status == SubscriberStatus.Pending &&
            subscriber.ConfirmationSentAt > now.AddMinutes(-options.Value.ConfirmationResendMinutes))
        {
            logger.LogInformation("No second confirmation mail to subscriber {SubscriberId} yet: one went out at {SentAt}", subscriber.Id, subscriber.ConfirmationSentAt);
            owed = false;
        }
        else
        {
            // Pending whose mail is older than the throttle (or never went out), or back after an
            // unsubscribe or bounce: a fresh confirmation, and the old link stops working.
            subscriber.ChangeStatus(SubscriberStatus.Pending, now);
        }

        subscriber.SignupAttemptAt = now;
        if (owed)
        {
            if (name is not null)
            {
                subscriber.Name = name;
            }

            subscriber.ConsentAt = now;
            subscriber.ConsentIp = form.Ip;
            subscriber.ConsentSource = form.Source;
            subscriber.RequestConfirmation(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (owed)
        {
            Telemetry.NewsletterMetrics.SignedUp();
        }

        return owed;
    }
}
