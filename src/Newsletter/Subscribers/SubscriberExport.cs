using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// Every subscriber as CSV, in id order, a page at a time (keyset paging): memory stays flat
/// however long the list is, and each page is written out before the next is read.
/// </summary>
public sealed class SubscriberExport(NewsletterDbContext db)
{
    public const int PageSize = 1000;

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, SubscriberCsv.WriterOptions, leaveOpen: true);
        await csv.WriteRecordAsync(SubscriberCsv.ExportHeader, cancellationToken);
        long last = 0;
        while (true)
        {
            var page = await db.Subscribers.AsNoTracking()
                .Where(s => s.Id > last)
                .OrderBy(s => s.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var subscriber in page)
            {
                await csv.WriteRecordAsync(SubscriberCsv.Fields(subscriber), cancellationToken);
            }

            await csv.FlushAsync(cancellationToken);
            last = page[^1].Id;
        }
    }
}
