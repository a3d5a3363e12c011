using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

public class SubscribersApiTests(SubscribersApiTests.App app) : IClassFixture<SubscribersApiTests.App>
{
    public class App : NewsletterApp
    {
        public App()
        {
        }

        protected App(DatabaseProvider provider)
            : base(provider: provider)
        {
        }
    }

    private readonly HttpClient _admin = app.CreateAdminClient();

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private async Task<JsonElement> ImportAsync(string csv, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _admin.PostAsync("/api/subscribers/import", Csv(csv));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static (int Line, string Reason)[] Invalid(JsonElement result) =>
        [.. result.GetProperty("invalid").EnumerateArray().Select(i => (i.GetProperty("line").GetInt32(), i.GetProperty("reason").GetString()!))];

    private Task<Subscriber?> FindAsync(string email)
    {
        var key = email.ToLowerInvariant();
        return app.WithDbAsync(db => db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.EmailKey == key));
    }

    [Fact]
    public async Task EveryRouteNeedsTheAdminKey()
    {
        var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/subscribers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/subscribers/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/subscribers/import", Csv("a@example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/subscribers/a@example.com")).StatusCode);
    }

    [Fact]
    public async Task ImportReadsQuotedFieldsAndReportsInvalidRowsByLine()
    {
        const string csv =
            "email,name,status\r\n" +                                   // 1
            "quote1@example.com,\"Doe, \"\"JD\"\" John\",confirmed\r\n" + // 2
            "quote2@example.com,\"Two\r\nLines\",pending\r\n" +          // 3-4
            "not-an-address,Nobody\r\n" +                               // 5
            "\r\n" +                                                    // 6
            "quote3@example.com,Bad status,maybe\r\n" +                 // 7
            "QUOTE1@example.com,Again\r\n" +                            // 8
            "quote4@example.com,Stray \"quote\r\n" +                    // 9
            "  Quote5@Example.COM  ,,\r\n";                             // 10

        var result = await ImportAsync(csv);

        Assert.Equal(3, result.GetProperty("added").GetInt32());
        var invalid = Invalid(result);
        Assert.Equal([5, 7, 8, 9], invalid.Select(i => i.Line));
        Assert.Contains("@", invalid[0].Reason, StringComparison.Ordinal);
        Assert.Contains("maybe", invalid[1].Reason, StringComparison.Ordinal);
        Assert.Contains("line 2", invalid[2].Reason, StringComparison.Ordinal);
        Assert.Contains("quote", invalid[3].Reason, StringComparison.Ordinal);

        var one = (await FindAsync("quote1@example.com"))!;
        Assert.Equal("Doe, \"JD\" John", one.Name);
        Assert.Equal(SubscriberStatus.Confirmed, one.Status);
        Assert.NotNull(one.ConfirmedAt);
        Assert.Equal("import", one.ConsentSource);
        Assert.Equal(SubscriberStatus.Pending, (await FindAsync("quote2@example.com"))!.Status);
        var five = (await FindAsync("quote5@example.com"))!;
        Assert.Equal("Quote5@example.com", five.Email);
        Assert.Equal(SubscriberStatus.Confirmed, five.Status);
    }

    [Fact]
    public async Task ImportWithoutAHeaderTakesEmailNameStatusInThatOrder()
    {
        var result = await ImportAsync("nohead1@example.com,First\nnohead2@example.com,Second,unsubscribed\nnohead3@example.com,a,b,c\n");

        Assert.Equal(2, result.GetProperty("added").GetInt32());
        Assert.Equal([3], Invalid(result).Select(i => i.Line));
        Assert.Equal("First", (await FindAsync("nohead1@example.com"))!.Name);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await FindAsync("nohead2@example.com"))!.Status);
    }

    [Fact]
    public async Task ImportingAgainUpdatesButNeverBringsBackAnUnsubscribedReader()
    {
        await ImportAsync("email,name,status\nagain1@example.com,Old\nagain2@example.com,Kept\nagain3@example.com,Gone,unsubscribed\n");

        var result = await ImportAsync("name,email,status\nNew,again1@example.com,\nKept,AGAIN2@example.com,\nGone,again3@example.com,confirmed\n");

        Assert.Equal(0, result.GetProperty("added").GetInt32());
        Assert.Equal(1, result.GetProperty("updated").GetInt32());
        Assert.Equal(1, result.GetProperty("unchanged").GetInt32());
        var refused = Assert.Single(Invalid(result));
        Assert.Equal(4, refused.Line);
        Assert.Contains("unsubscribed", refused.Reason, StringComparison.Ordinal);
        Assert.Equal("New", (await FindAsync("again1@example.com"))!.Name);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await FindAsync("again3@example.com"))!.Status);
    }

    [Fact]
    public async Task EmptyOrUnreadableRequestIs400AndImportsNothing()
    {
        var before = await app.WithDbAsync(db => db.Subscribers.CountAsync());

        var empty = await _admin.PostAsync("/api/subscribers/import", Csv(""));
        var noFile = await _admin.PostAsync("/api/subscribers/import", new MultipartFormDataContent { { new StringContent("x"), "note" } });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType!.MediaType);
        Assert.Contains("file", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Equal(before, await app.WithDbAsync(db => db.Subscribers.CountAsync()));
    }

    [Fact]
    public async Task ImportAcceptsTheCsvAsAnUploadedFile()
    {
        var form = new MultipartFormDataContent { { new StringContent("email\nupload@example.com\n"), "file", "list.csv" } };

        var response = await _admin.PostAsync("/api/subscribers/import", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await FindAsync("upload@example.com"));
    }

    [Fact]
    public async Task DatabaseErrorDuringImportLeavesNothingHalfImported()
    {
        // A trigger makes the database refuse one row in the middle of the file.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(app.Provider == DatabaseProvider.Postgres
            ? """
              CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.emailkey = 'boom@example.com' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse_boom BEFORE INSERT ON subscribers FOR EACH ROW EXECUTE FUNCTION refuse_boom();
              """
            : "CREATE TRIGGER refuse_boom BEFORE INSERT ON Subscribers WHEN NEW.EmailKey = 'boom@example.com' BEGIN SELECT RAISE(ABORT, 'refused'); END;"));
        await ImportAsync("email,name\nhalf0@example.com,Before\n");
        try
        {
            var response = await _admin.PostAsync("/api/subscribers/import", Csv("email,name,status\nhalf0@example.com,Renamed,\nhalf1@example.com\nboom@example.com\nhalf2@example.com\n"));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Null(await FindAsync("half1@example.com"));
            Assert.Null(await FindAsync("half2@example.com"));
            Assert.Equal("Before", (await FindAsync("half0@example.com"))!.Name);
        }
        finally
        {
            await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(app.Provider == DatabaseProvider.Postgres
                ? "DROP TRIGGER refuse_boom ON subscribers; DROP FUNCTION refuse_boom();"
                : "DROP TRIGGER refuse_boom;"));
        }
    }

    [Fact]
    public async Task ACsvThatIsNotUtf8IsRefusedWithItsLineAndImportsNothing()
    {
        var latin1 = Encoding.Latin1.GetBytes("email,name\nlatin-ok@example.com,Ann\nlatin-jorg@example.com,J\u00f6rg\n");

        var response = await _admin.PostAsync("/api/subscribers/import", new ByteArrayContent(latin1));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Line 3 is not UTF-8", body, StringComparison.Ordinal);
        Assert.Null(await FindAsync("latin-ok@example.com"));
        Assert.Null(await FindAsync("latin-jorg@example.com"));
    }

    [Fact]
    public async Task APageBeyondTheEndIsEmptyAndAPageBelowOneIs400()
    {
        await ImportAsync("email\npaging-a@example.com\npaging-b@example.com\n");

        var far = await _admin.GetFromJsonAsync<JsonElement>("/api/subscribers?q=paging-&page=2147483647");
        var negative = await _admin.GetAsync("/api/subscribers?page=-1");

        Assert.Empty(far.GetProperty("items").EnumerateArray());
        Assert.Equal(2, far.GetProperty("total").GetInt32());
        Assert.Equal(2147483647, far.GetProperty("page").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("page", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwentyThousandRowsImportInOneRequest()
    {
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append("bulk").Append(i).Append("@example.com,\"Reader ").Append(i).Append(", Bulk\"\n");
        }

        var result = await ImportAsync(csv.ToString());

        Assert.Equal(20_000, result.GetProperty("added").GetInt32());
        Assert.Empty(Invalid(result));
        Assert.Equal("Reader 19999, Bulk", (await FindAsync("bulk19999@example.com"))!.Name);
    }

    [Fact]
    public async Task ListFiltersByStatusSearchesAndPages()
    {
        await ImportAsync("email,name,status\nlist-a@example.com,Alpha Person,confirmed\nlist-b@example.com,Beta,pending\nlist-c@example.com,Gamma,confirmed\nother@example.com,alpha lower,confirmed\n");

        var search = await _admin.GetFromJsonAsync<JsonElement>("/api/subscribers?q=ALPHA&status=confirmed");
        var page = await _admin.GetFromJsonAsync<JsonElement>("/api/subscribers?q=list-&pageSize=2&page=2");
        var bad = await _admin.GetAsync("/api/subscribers?status=maybe&pageSize=0");

        Assert.Equal(["list-a@example.com", "other@example.com"], search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()));
        var first = search.GetProperty("items")[0];
        Assert.Equal("confirmed", first.GetProperty("status").GetString());
        Assert.Equal("Alpha Person", first.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, first.GetProperty("confirmedAt").ValueKind);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal("list-c@example.com", Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("status", problem, StringComparison.Ordinal);
        Assert.Contains("pageSize", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportDefusesFormulasAndImportsBackUnchanged()
    {
        const string csv = "email,name\n" +
            "formula1@example.com,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"\n" +
            "formula2@example.com,+1-555\n" +
            "formula3@example.com,-2\n" +
            "formula4@example.com,@SUM(A1)\n" +
            "=formula6@example.com,Plain name\n";
        await ImportAsync(csv);

        var response = await _admin.GetAsync("/api/subscribers/export");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var rows = ReadCsv(text);
        Assert.Equal(SubscriberCsv.ExportHeader, rows[0]);
        var names = rows.Skip(1).ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", names["formula1@example.com"]);
        Assert.Equal("'+1-555", names["formula2@example.com"]);
        Assert.Equal("'-2", names["formula3@example.com"]);
        Assert.Equal("'@SUM(A1)", names["formula4@example.com"]);
        Assert.True(names.ContainsKey("'=formula6@example.com"));
        Assert.DoesNotContain(rows.Skip(1).SelectMany(r => r), cell => cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal));

        var again = await ImportAsync(text);
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.Equal(0, again.GetProperty("updated").GetInt32());
        Assert.Empty(Invalid(again));
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"click\")", (await FindAsync("formula1@example.com"))!.Name);
    }

    [Fact]
    public async Task ExportPagesThroughTheWholeList()
    {
        var csv = new StringBuilder();
        for (var i = 0; i < 2_500; i++)
        {
            csv.Append("paged").Append(i).Append("@example.com\n");
        }

        await ImportAsync(csv.ToString());

        var rows = ReadCsv(await _admin.GetStringAsync("/api/subscribers/export"));
        var emails = rows.Skip(1).Select(r => r[0]).ToHashSet();
        Assert.Equal(rows.Count - 1, emails.Count);
        Assert.All(Enumerable.Range(0, 2_500), i => Assert.Contains($"paged{i}@example.com", emails));
    }

    [Fact]
    public async Task DeleteErasesTheSubscriberAndKeepsTheirDeliveriesAnonymous()
    {
        await ImportAsync("erase@example.com,Erase Me\n");
        var id = (await FindAsync("erase@example.com"))!.Id;
        var deliveryId = await app.WithDbAsync(async db =>
        {
            var issue = new DigestIssue { Number = 900, Slot = "erase-test", Subject = "s", Status = DigestIssueStatus.Queued, CreatedAt = DateTimeOffset.UtcNow };
            db.Issues.Add(issue);
            await db.SaveChangesAsync();
            var delivery = new MailDelivery { IssueId = issue.Id, SubscriberId = id, Status = DeliveryStatus.Failed, LastError = "550 <erase@example.com> no such user" };
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
            return delivery.Id;
        });

        var deleted = await _admin.DeleteAsync("/api/subscribers/ERASE%40example.com");
        var again = await _admin.DeleteAsync("/api/subscribers/erase%40example.com");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Null(await FindAsync("erase@example.com"));
        var delivery = await app.WithDbAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId));
        Assert.Null(delivery.SubscriberId);
        Assert.Null(delivery.LastError);
        Assert.DoesNotContain("erase@example.com", await _admin.GetStringAsync("/api/subscribers/export"), StringComparison.Ordinal);
    }

    private static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        using var reader = CsvReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(text)), new CsvReaderOptions { Separator = ',', HasHeader = false });
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i) ?? "")]);
        }

        return rows;
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class SubscribersApiOnPostgresTests(SubscribersApiOnPostgresTests.PostgresApp app)
    : SubscribersApiTests(app), IClassFixture<SubscribersApiOnPostgresTests.PostgresApp>
{
    public sealed class PostgresApp() : App(DatabaseProvider.Postgres);
}
