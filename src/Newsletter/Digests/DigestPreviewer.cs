using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Mail;
using Newsletter.Hosting;
using Newsletter.Subscribers;

namespace Newsletter.Digests;

/// <summary>The next digest rendered from the plan, ready for a sample reader or an editor.</summary>
public sealed record DigestPreview(DigestPlan Plan, PreparedDigest Prepared);

/// <summary>Who a preview goes to, or why the request named nobody usable (keys like "to[1]").</summary>
public sealed record PreviewRecipients(IReadOnlyList<MailboxAddress> Addresses, Dictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Previews of the next digest: rendered exactly as a reader gets it, from the plan. A preview
/// changes no state: it makes no issue, no delivery and no token, so the next digest still carries
/// the same comparisons afterwards.
/// </summary>
public sealed class DigestPreviewer(
    DigestAssembler assembler,
    DigestRenderer renderer,
    MailFactory mails,
    IMailSender sender,
    IOptions<NewsletterOptions> options,
    IEnumerable<IEditorAddresses> editors,
    TimeProvider clock,
    ILogger<DigestPreviewer> logger)
{
    public const string SubjectPrefix = "[Preview] ";

    /// <summary>The unsubscribe token in previews: no subscriber has it, so its links unsubscribe nobody.</summary>
    public const string SampleToken = "preview";

    public const string SampleName = "Editor";

    /// <summary>At most this many addresses per preview request.</summary>
    public const int MaxRecipients = 20;

    public Task<DigestPreview> PrepareNextAsync(CancellationToken cancellationToken) => PrepareNextAsync(null, cancellationToken);

    /// <summary>The next digest from the plan and the editors' draft; <paramref name="notice"/>: the scheduled preview's line on top.</summary>
    public async Task<DigestPreview> PrepareNextAsync(PreviewNotice? notice, CancellationToken cancellationToken)
    {
        var plan = await assembler.PlanAsync(cancellationToken);
        var prepared = await renderer.PrepareAsync(plan.Content(clock.GetUtcNow()) with { Notice = notice }, cancellationToken);
        return new DigestPreview(plan, prepared);
    }

    /// <summary>The reader a browser preview is rendered for: the first editor, named "Editor".</summary>
    public DigestReader SampleReader() =>
        new(options.Value.Editors.FirstOrDefault() is { } editor ? MailboxAddress.Parse(editor).Address : "editor@example.com", SampleName, SampleToken);

    /// <summary>The given addresses when there are any, else the editors (as kept in the console, else Newsletter:Editors); each one checked.</summary>
    public async Task<PreviewRecipients> RecipientsAsync(IReadOnlyList<string>? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var given = to?.Where(a => !string.IsNullOrWhiteSpace(a)).ToList() ?? [];
        if (given.Count == 0)
        {
            foreach (var kept in editors)
            {
                if (await kept.ListAsync(cancellationToken) is { Count: > 0 } people)
                {
                    return new PreviewRecipients(people, errors);
                }
            }

            if (options.Value.Editors.Count == 0)
            {
                errors["to"] = ["names no address, and there are no editors: give an address, add an editor (`editors add`), or set Newsletter:Editors"];
                return new PreviewRecipients([], errors);
            }

            return new PreviewRecipients([.. options.Value.Editors.Select(MailboxAddress.Parse)], errors);
        }

        if (given.Count > MaxRecipients)
        {
            errors["to"] = [$"names {given.Count} addresses; at most {MaxRecipients} per preview"];
            return new PreviewRecipients([], errors);
        }

        var addresses = new List<MailboxAddress>();
        for (var i = 0; i < to!.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(to[i]))
            {
                continue;
            }

            if (TryAddress(to[i], out var address))
            {
                addresses.Add(address);
            }
            else
            {
                errors[$"to[{i}]"] = [$"is not an email address: \"{MailFactory.HeaderText(to[i])}\""];
            }
        }

        return new PreviewRecipients(addresses, errors);
    }

    /// <summary>One mailbox ("ann@example.com" or "Ann &lt;ann@example.com&gt;"); never anything with a line break in it.</summary>
    public static bool TryAddress(string value, out MailboxAddress address)
    {
        address = null!;
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed.Any(char.IsControl) ||
            !MailboxAddress.TryParse(ParserOptions.Default, trimmed, out var parsed))
        {
            return false;
        }

        var at = parsed.Address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == parsed.Address.Length - 1 || parsed.Address.Any(char.IsWhiteSpace))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Sends the next digest to each address as its own mail, subject prefixed "[Preview] ".</summary>
    public Task<DigestPreview> SendAsync(IReadOnlyList<MailboxAddress> recipients, CancellationToken cancellationToken) =>
        SendAsync(recipients, null, cancellationToken);

    public async Task<DigestPreview> SendAsync(IReadOnlyList<MailboxAddress> recipients, PreviewNotice? notice, CancellationToken cancellationToken)
    {
        var preview = await PrepareNextAsync(notice, cancellationToken);
        var links = new UnsubscribeLinks(options.Value.Unsubscribe(SampleToken), options.Value.UnsubscribeMailto(SampleToken));
        foreach (var to in recipients)
        {
            var name = string.IsNullOrWhiteSpace(to.Name) ? SampleName : to.Name;
            var mail = preview.Prepared.RenderFor(new DigestReader(to.Address, name, SampleToken));
            var message = mails.Build(new OutgoingMail(to, SubjectPrefix + preview.Prepared.Subject, mail.Html, mail.Text)
            {
                Unsubscribe = links,
            });
            await sender.SendAsync(message, cancellationToken);
            logger.LogInformation("Preview of digest #{Number} sent to {Address}", preview.Plan.Number, to.Address);
        }

        return preview;
    }
}
