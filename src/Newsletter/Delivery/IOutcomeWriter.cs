namespace Newsletter.Delivery;

/// <summary>
/// Writes a run's outcomes to the queue, group after group, for one caller at a time (the run's
/// <see cref="OutcomeRecorder"/>). A store may keep a connection and its prepared statements from
/// one group to the next: a run commits a group for every few mails, and on SQLite opening a
/// connection and preparing the statements again was nearly half of each commit.
/// </summary>
public interface IOutcomeWriter : IDisposable
{
    /// <summary>
    /// Records outcomes in one transaction (durable when this returns), only for rows this engine's
    /// lease still owns, and bounces the readers the records name (through the Subscribers feature).
    /// </summary>
    Task RecordAsync(IReadOnlyCollection<DeliveryRecord> records, CancellationToken cancellationToken);
}
