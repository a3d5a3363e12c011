using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using Newsletter.Tests.Subscribers;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Hosting;

/// <summary>
/// Each table has one writer: the feature whose folder holds the table's entity type. A reader's whole
/// life (signup, confirm, a send, a bounce, erasure) runs with every command the DbContext sends
/// watched: the table each INSERT, UPDATE or DELETE writes (SaveChanges, ExecuteUpdate/Delete and raw
/// SQL alike) and the feature of the code that sent it (the innermost Newsletter frame of the stack).
/// The delivery store's own connections (claims and outcomes, Deliveries and the lease tables, all
/// Delivery's) do not pass through the DbContext and are not seen here.
/// </summary>
public sealed partial class TableOwnershipTests
{
    [Fact]
    public async Task EveryWriteInAReadersLifeIsMadeByTheFeatureThatOwnsTheTable()
    {
        await using var sink = await SmtpSink.StartAsync();
        var writes = new WriteRecorder();
        using var app = new WatchedApp(writes, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = sink.Host,
            ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
        });
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.StartKestrel() };
        var admin = app.CreateAdminClient();
        const string email = "owner-check@example.com";

        var signup = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", email), new("name", "Owner Check")]));
        Assert.True(signup.IsSuccessStatusCode, await signup.Content.ReadAsStringAsync());
        var confirmation = Assert.Single(await sink.WaitForMessagesAsync(1));
        Assert.Equal(HttpStatusCode.OK, (await SignupFixture.ConfirmAsync(client, SignupFixture.ConfirmPath(confirmation))).StatusCode);
        await sink.WaitForMessagesAsync(2);

        await PublishAsync(admin, "owner-check-verdict");
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        await sink.WaitForMessagesAsync(3);

        (await admin.PostAsJsonAsync("/api/bounces", new { email, type = "hard", reason = "550 5.1.1 user unknown" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/subscribers/{email}")).StatusCode);

        var owners = await app.WithDbAsync(db => Task.FromResult(OwnersOf(db)));
        var seen = writes.All.ToList();

        // The flow wrote what each step must write (so the check below cannot pass on nothing).
        Assert.Contains(seen, w => w.Table == "Subscribers" && w.Writer == "Subscribers");
        Assert.Contains(seen, w => w.Table == "Comparisons" && w.Writer == "Comparisons");
        Assert.Contains(seen, w => w.Table == "Issues" && w.Writer == "Digests");
        Assert.Contains(seen, w => w.Table == "Deliveries" && w.Writer == "Delivery");
        Assert.Contains(seen, w => w.Table == "DeliveryReports" && w.Writer == "Inbound");

        var strangers = seen
            .Where(w => owners.GetValueOrDefault(w.Table, "?") != w.Writer)
            .Select(w => $"{w.Writer} wrote {w.Table} (owner {owners.GetValueOrDefault(w.Table, "?")}): {w.Sql}")
            .Distinct().ToList();
        Assert.True(strangers.Count == 0, string.Join("\n", strangers));
    }

    /// <summary>The owner of each table: the folder (Newsletter.X) of the entity type mapped to it; the database's own tables are Data's.</summary>
    private static Dictionary<string, string> OwnersOf(NewsletterDbContext db)
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["__EFMigrationsHistory"] = "Data" };
        foreach (var entity in db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null))
        {
            var ns = entity.ClrType.Namespace ?? "";
            owners[entity.GetTableName()!] = ns.StartsWith("Newsletter.", StringComparison.Ordinal) ? ns.Split('.')[1] : "Data";
        }

        return owners;
    }

    private sealed record Write(string Table, string Writer, string Sql);

    private sealed partial class WriteRecorder : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<Write> _writes = new();

        public IEnumerable<Write> All => _writes;

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command)
        {
            var tables = WriteStatement().Matches(command.CommandText).Select(m => m.Groups[1].Value).Distinct().ToList();
            if (tables.Count == 0)
            {
                return;
            }

            var trace = new StackTrace();
            if (trace.GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal) == true))
            {
                return; // the schema, migrated at start: no feature's write
            }

            var writer = WriterOf(trace);
            foreach (var table in tables)
            {
                _writes.Enqueue(new Write(table, writer, command.CommandText.Split('\n')[0]));
            }
        }

        /// <summary>The folder of the innermost frame in the product (Newsletter.X, not the tests): the code that sent the command.</summary>
        private static string WriterOf(StackTrace trace)
        {
            foreach (var frame in trace.GetFrames())
            {
                var ns = frame.GetMethod()?.DeclaringType?.Namespace ?? "";
                if (ns.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal))
                {
                    return "Data"; // the shared key ring, which Data hands to ASP.NET Core (SharedDataProtection)
                }

                if (ns.StartsWith("Newsletter.", StringComparison.Ordinal) && !ns.StartsWith("Newsletter.Tests", StringComparison.Ordinal))
                {
                    return ns.Split('.')[1];
                }
            }

            return "(unknown: " + string.Join(" < ", trace.GetFrames().Take(12).Select(f => f.GetMethod()?.DeclaringType?.FullName + "." + f.GetMethod()?.Name)) + ")";
        }

        /// <summary>The table of each INSERT, UPDATE or DELETE statement, quoted or not (temp tables of an import are named too).</summary>
        [GeneratedRegex("""(?:^|;|\n)\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?""", RegexOptions.IgnoreCase)]
        private static partial Regex WriteStatement();
    }

    private sealed class WatchedApp(WriteRecorder writes, IDictionary<string, string?> settings) : NewsletterApp(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureDbContext<NewsletterDbContext>(o => o.AddInterceptors(writes)));
        }
    }
}
