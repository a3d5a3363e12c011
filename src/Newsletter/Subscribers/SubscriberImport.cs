using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>What an import did: counts, and each row left out with its line and reason.</summary>
public sealed record ImportResult(int Added, int Updated, int Unchanged, IReadOnlyList<InvalidRow> Invalid);

/// <summary>
/// Imports a subscriber CSV. Every row is checked first; the valid ones are written in one
/// transaction, so a database error (or a cancelled request) leaves nothing half-imported.
/// New addresses get the row's status or, without one, Confirmed: an editor imports a list whose
/// readers already opted in elsewhere. No mail is sent. An existing subscriber keeps their status
/// when the row gives none; an unsubscribed or bounced one is never brought back by an import
/// (that is the reader's choice alone) and the row is reported instead.
/// </summary>
public sealed class SubscriberImport(
    NewsletterDbContext db, IEnumerable<IReaderDepartures> departures, TimeProvider clock, ILogger<SubscriberImport> logger)
{
    private const int LookupBatch = 1000;

    public async Task<ImportResult> ImportAsync(Stream csv, string source, CancellationToken cancellationToken)
    {
        var parsed = await SubscriberCsv.ReadAsync(csv, cancellationToken);
        var invalid = parsed.Invalid.ToList();
        var now = clock.GetUtcNow();
        var added = new List<Subscriber>();
        var updated = new List<Subscriber>();
        var unchanged = 0;
        var leftConfirmed = new List<long>();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await ExistingAsync(parsed.Rows, cancellationToken);
        foreach (var row in parsed.Rows)
        {
            if (!existing.TryGetValue(row.Email.Key, out var subscriber))
            {
                subscriber = new Subscriber
                {
                    Email = row.Email.Value,
                    EmailKey = row.Email.Key,
                    Name = row.Name,
                    Status = SubscriberStatus.Pending,
                    CreatedAt = now,
                    ConsentAt = now,
                    ConsentSource = source,
                    UnsubscribeToken = SubscriberTokens.New(),
                };
                subscriber.ChangeStatus(row.Status ?? SubscriberStatus.Confirmed, now);
                added.Add(subscriber);
                continue;
            }

            if ((subscriber.Status is SubscriberStatus.Unsubscribed or SubscriberStatus.Bounced &&
                row.Status is SubscriberStatus.Confirmed or SubscriberStatus.Pending)
                || (subscriber.Status == SubscriberStatus.Complained && row.Status is { } other && other != SubscriberStatus.Complained))
            {
                invalid.Add(new InvalidRow(row.Line,
                    $"{SubscriberCsv.StatusName(subscriber.Status)}: only the reader can subscribe again, through the form"));
                continue;
            }

            var changed = false;
            if (row.Name is not null && row.Name != subscriber.Name)
            {
                subscriber.Name = row.Name;
                changed = true;
            }

            if (row.Status is { } status && status != subscriber.Status)
            {
                if (subscriber.Status == SubscriberStatus.Confirmed)
                {
                    leftConfirmed.Add(subscriber.Id);
                }

                subscriber.ChangeStatus(status, now);
                changed = true;
            }

            if (changed)
            {
                updated.Add(subscriber);
            }
            else
            {
                unchanged++;
            }
        }

        await WriteAsync(added, updated, transaction, cancellationToken);
        await SubscriberStatusChanges.LeftConfirmedAsync(db, leftConfirmed, departures, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Subscriber import from {Source}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Invalid} invalid",
            source, added.Count, updated.Count, unchanged, invalid.Count);
        return new ImportResult(added.Count, updated.Count, unchanged, [.. invalid.OrderBy(i => i.Line)]);
    }

    private async Task<Dictionary<string, Subscriber>> ExistingAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, Subscriber>(StringComparer.Ordinal);
        foreach (var batch in rows.Select(r => r.Email.Key).Chunk(LookupBatch))
        {
            foreach (var subscriber in await db.Subscribers.AsNoTracking().Where(s => batch.Contains(s.EmailKey)).ToListAsync(cancellationToken))
            {
                existing[subscriber.EmailKey] = subscriber;
            }
        }

        return existing;
    }

    /// <summary>
    /// One prepared INSERT and one prepared UPDATE, run per row inside the transaction: tens of
    /// thousands of rows in well under a second, where change tracking takes many. The columns and
    /// value conversions come from the EF model, so the SQL follows the entity's configuration.
    /// </summary>
    private async Task WriteAsync(List<Subscriber> added, List<Subscriber> updated, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(Subscriber))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var columns = entity.GetProperties().Where(p => p != key).ToList();
        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();

        string Column(IProperty p) => "\"" + p.GetColumnName(table) + "\"";

        if (added.Count > 0)
        {
            await using var insert = Command(connection, dbTransaction, columns,
                $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(Column))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})");
            foreach (var subscriber in added)
            {
                await ExecuteAsync(insert, columns, subscriber, cancellationToken);
            }
        }

        if (updated.Count > 0)
        {
            var parameters = columns.Append(key).ToList();
            await using var update = Command(connection, dbTransaction, parameters,
                $"UPDATE \"{table.Name}\" SET {string.Join(", ", columns.Select((p, i) => $"{Column(p)} = @p{i}"))} WHERE {Column(key)} = @p{columns.Count}");
            foreach (var subscriber in updated)
            {
                await ExecuteAsync(update, parameters, subscriber, cancellationToken);
            }
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, List<IProperty> properties, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The SQL is built from the EF model's table and column names, never from input.
        command.CommandText = sql;
#pragma warning restore CA2100
        for (var i = 0; i < properties.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;

            // PostgreSQL prepares a statement only with each parameter's type known up front.
            if (properties[i].GetRelationalTypeMapping().DbType is { } type)
            {
                parameter.DbType = type;
            }

            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    private static async Task ExecuteAsync(DbCommand command, List<IProperty> properties, Subscriber subscriber, CancellationToken cancellationToken)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var value = property.PropertyInfo!.GetValue(subscriber);
            var converter = property.GetTypeMapping().Converter;
            command.Parameters[i].Value = value is null ? DBNull.Value : converter?.ConvertToProvider(value) ?? value;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
