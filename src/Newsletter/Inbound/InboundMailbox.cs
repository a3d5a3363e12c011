using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Mail;

namespace Newsletter.Inbound;

/// <summary>What one check of the mailbox did.</summary>
public sealed record MailboxCheck(int Handled, int Ignored, int Review, int AlreadyHandled, int ReviewFolderCount)
{
    /// <summary>The newest mails waiting in the review folder, newest first, for the console.</summary>
    public IReadOnlyList<ReviewSample> ReviewSamples { get; init; } = [];
}

/// <summary>What an editor needs to recognise one mail waiting for review: when, from whom, what it says.</summary>
public sealed record ReviewSample(DateTimeOffset? Date, string From, string Subject);

/// <summary>
/// One pass over the bounce mailbox with MailKit's ImapClient: each message in Inbound:Folder is
/// classified and acted on, then moved to Inbound:ProcessedFolder (understood, also when ignored) or
/// Inbound:ReviewFolder (not understood, forged, nobody named). Nothing is ever deleted. Acting
/// comes before moving, and is recorded under the message's key, so a crash in between only means
/// the message is moved on the next pass with no second effect.
/// </summary>
public sealed partial class InboundMailbox(
    IOptions<InboundOptions> options, InboundClassifier classifier, IServiceScopeFactory scopes, InboundStatus status, ILogger<InboundMailbox> logger)
{
    public async Task<MailboxCheck> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var client = new ImapClient();
        await ConnectAsync(client, o, cancellationToken);
        var source = await SourceAsync(client, o.Folder, cancellationToken);
        var processed = await FolderAsync(client, o.ProcessedFolder, "Inbound:ProcessedFolder", cancellationToken);
        var review = await FolderAsync(client, o.ReviewFolder, "Inbound:ReviewFolder", cancellationToken);
        await source.OpenAsync(FolderAccess.ReadWrite, cancellationToken);

        int handled = 0, ignored = 0, toReview = 0, again = 0;
        foreach (var uid in await source.SearchAsync(SearchQuery.All, cancellationToken))
        {
            await using var raw = new MemoryStream();
            await using (var stream = await source.GetStreamAsync(uid, cancellationToken))
            {
                await stream.CopyToAsync(raw, cancellationToken);
            }

            raw.Position = 0;
            if (await InboundReportReaders.TryReadAsync(scopes, raw, cancellationToken))
            {
                await source.MoveToAsync(uid, processed, cancellationToken);
                handled++;
                continue;
            }

            var verdict = classifier.Classify(raw);
            Telemetry.NewsletterMetrics.Inbound(verdict.Kind.ToString().ToLowerInvariant());
            if (verdict.Kind == InboundKind.Review)
            {
                LogReview(logger, uid.Id, verdict.Reason);
                await source.MoveToAsync(uid, review, cancellationToken);
                toReview++;
                continue;
            }

            if (verdict.Findings.Count > 0)
            {
                raw.Position = 0;
                using var scope = scopes.CreateScope();
                var actions = scope.ServiceProvider.GetRequiredService<BounceActions>();
                var outcomes = await actions.ApplyAsync(verdict, Key(raw), cancellationToken);
                if (outcomes is [{ AlreadyHandled: true }])
                {
                    again++;
                }
                else
                {
                    handled++;
                }
            }
            else
            {
                ignored++;
            }

            await source.MoveToAsync(uid, processed, cancellationToken);
        }

        var samples = await ReviewSamplesAsync(review, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        var check = new MailboxCheck(handled, ignored, toReview, again, review.Count) { ReviewSamples = samples };
        status.Record(check);
        if (handled + ignored + toReview + again > 0)
        {
            logger.LogInformation("Inbound mailbox: {Handled} handled, {Ignored} ignored, {Review} to review ({ReviewTotal} waiting there), {Again} seen before",
                handled, ignored, toReview, check.ReviewFolderCount, again);
        }

        return check;
    }

    /// <summary>
    /// The newest few mails in review (their envelopes only), so that what waits there is seen in the
    /// console without opening the mailbox; opening the folder also counts it.
    /// </summary>
    private static async Task<IReadOnlyList<ReviewSample>> ReviewSamplesAsync(IMailFolder review, CancellationToken cancellationToken)
    {
        await review.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        if (review.Count == 0)
        {
            return [];
        }

        var newest = await review.FetchAsync(Math.Max(0, review.Count - ReviewSampleCount), -1, new FetchRequest(MessageSummaryItems.Envelope), cancellationToken);
        return newest.OrderByDescending(m => m.Index)
            .Select(m => new ReviewSample(m.Envelope?.Date, m.Envelope?.From?.ToString() ?? "", m.Envelope?.Subject ?? ""))
            .ToList();
    }

    private const int ReviewSampleCount = 10;

    /// <summary>Connects and signs in; for /health as for the job.</summary>
    public static async Task ConnectAsync(ImapClient client, InboundOptions o, CancellationToken cancellationToken)
    {
        client.Timeout = 30_000;
        await client.ConnectAsync(o.Host ?? "", o.Port, o.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        }, cancellationToken);
        await client.AuthenticateAsync(o.UserName ?? "", o.Password ?? "", cancellationToken);
    }

    /// <summary>The folder mail is read from: never made (a typo would read an empty folder for ever).</summary>
    private static async Task<IMailFolder> SourceAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            throw new InboundFolderException($"Inbound:Folder \"{name}\" does not exist on the IMAP server: nothing can be read");
        }
    }

    /// <summary>
    /// The folder mail is moved to, made when missing, with its parents, in the personal namespace: a
    /// name like "Archive/Bounces" is split at the server's own separator. A name the server refuses
    /// ("." where the server keeps folders as Maildir++) stops the pass with the setting and the reason.
    /// </summary>
    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, string setting, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            // Made below.
        }

        var folder = client.GetFolder(client.PersonalNamespaces[0]);
        var separator = folder.DirectorySeparator;
        foreach (var part in name.Split(separator))
        {
            var existing = (await folder.GetSubfoldersAsync(false, cancellationToken)).FirstOrDefault(f => f.Name == part);
            try
            {
                folder = existing ?? await folder.CreateAsync(part, true, cancellationToken)
                    ?? throw new InboundFolderException($"{setting} \"{name}\": the IMAP server did not create it");
            }
            catch (Exception e) when (e is ImapCommandException or ArgumentException)
            {
                var reason = e is ImapCommandException command && !string.IsNullOrWhiteSpace(command.ResponseText) ? command.ResponseText : e.Message;
                throw new InboundFolderException(
                    $"{setting} \"{name}\" cannot be created on the IMAP server (it separates folders with '{separator}'): {reason}");
            }
        }

        return folder;
    }

    /// <summary>The message's identity for "seen before": its Message-ID, else a hash of its bytes.</summary>
    private static string Key(Stream raw)
    {
        try
        {
            var headers = HeaderList.Load(raw);
            if (headers[HeaderId.MessageId] is { Length: > 0 and <= 190 } id)
            {
                return "mid:" + id.Trim();
            }
        }
        catch (FormatException)
        {
            // Hashed below.
        }

        raw.Position = 0;
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound message {Uid} moved to review: {Reason}")]
    private static partial void LogReview(ILogger logger, uint uid, string reason);
}
