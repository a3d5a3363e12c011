namespace Newsletter.Inbound;

/// <summary>
/// A kind of mail the bounce mailbox receives that is about no reader (a DMARC aggregate report …),
/// read by the feature that owns it before the classifier sees the mail. True: understood and kept
/// (or kept before: a mail seen twice changes nothing); the mail moves to Processed. False: not
/// such a report, or one that cannot be read; the classifier decides as for any other mail.
/// </summary>
public interface IInboundReportReader
{
    Task<bool> TryReadAsync(Stream message, CancellationToken cancellationToken);
}

/// <summary>Tries each registered <see cref="IInboundReportReader"/> on a mail, in a scope of its own.</summary>
public static class InboundReportReaders
{
    public static async Task<bool> TryReadAsync(IServiceScopeFactory scopes, Stream message, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        foreach (var reader in scope.ServiceProvider.GetServices<IInboundReportReader>())
        {
            message.Position = 0;
            if (await reader.TryReadAsync(message, cancellationToken))
            {
                Telemetry.NewsletterMetrics.Inbound("report");
                return true;
            }
        }

        message.Position = 0;
        return false;
    }
}
