using System.Threading.Channels;

namespace Newsletter.EditorAccounts;

/// <summary>
/// The doorbell of the sign-in mails' queue, which is the database (each link's MailDueAt): tells
/// <see cref="SignInMailer"/> that a mail is due now, so the editor need not wait for its next look.
/// </summary>
public sealed class SignInOutbox
{
    private readonly Channel<bool> _bell =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _bell.Writer.TryWrite(true);

    /// <summary>Waits for a ring or for <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _bell.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time to look for retries that are due.
        }
    }
}
