using System.Threading.Channels;

namespace Newsletter.Subscribers;

/// <summary>
/// The doorbell of the confirmation queue. The queue itself is the database (each pending
/// subscriber's ConfirmationMailDueAt), so nothing is lost when the process stops or SMTP stalls;
/// this only tells <see cref="ConfirmationMailer"/> that a mail is due now, so that it need not poll.
/// </summary>
public sealed class ConfirmationOutbox
{
    private readonly Channel<bool> _bell =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Rings the bell; several rings before the mailer looks are one.</summary>
    public void Wake() => _bell.Writer.TryWrite(true);

    /// <summary>Waits for a ring or for <paramref name="timeout"/>, whichever comes first.</summary>
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
            // The timeout: time to look for mails whose retry is due.
        }
    }
}
