using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Data;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// A disk that fills up in the middle of an import leaves nothing of it behind. The database is made
/// full for real: SQLite's max_page_count caps the file at its size now, so the import's writes meet
/// SQLITE_FULL ("database or disk is full") as they would on a full disk.
/// </summary>
// SQLite only: the full disk is made with a SQLite pragma; PostgreSQL has no per-database cap to meet.
public sealed class ImportDiskFullTests : IDisposable
{
    private readonly NewsletterApp _app = new();

    [Fact]
    public async Task ADiskFullDuringAnImportLeavesNothingHalfImported()
    {
        _ = _app.CreateClient();
        var file = Path.Combine(_app.Folder, "newsletter.db");
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using (var cap = connection.CreateCommand())
        {
            cap.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await cap.ExecuteNonQueryAsync();
            cap.CommandText = "PRAGMA page_count;";
            var pages = (long)(await cap.ExecuteScalarAsync())!;
#pragma warning disable CA2100 // A number the database returned.
            cap.CommandText = $"PRAGMA max_page_count = {pages + 8};";
#pragma warning restore CA2100
            await cap.ExecuteNonQueryAsync();
        }

        await using var db = new NewsletterDbContext(new DbContextOptionsBuilder<NewsletterDbContext>().UseSqlite(connection).Options);
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; i < 5_000; i++)
        {
            csv.Append("full").Append(i).Append("@example.com,Reader number ").Append(i).Append('\n');
        }

        var import = new SubscriberImport(db, [], TimeProvider.System, NullLogger<SubscriberImport>.Instance);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => import.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "import", CancellationToken.None));

        Assert.True(DatabaseFailure.IsUnwritable(error), error.ToString());
        Assert.Contains("full", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await _app.WithDbAsync(d => d.Subscribers.CountAsync(s => s.EmailKey.StartsWith("full"))));
    }

    public void Dispose() => _app.Dispose();
}
