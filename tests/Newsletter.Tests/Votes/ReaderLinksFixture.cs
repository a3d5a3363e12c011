using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Votes;

/// <summary>
/// Issue #1 really sent to six readers through smtp-sink, by the app on a real Kestrel port (a
/// browser opens the links from the mails). One per test class; each test uses its own readers.
/// </summary>
public class ReaderLinksFixture : IAsyncLifetime
{
    public const string Slug = "vote-verdict";
    public const string PublicBase = "https://verdicts.example.com";

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public SmtpSink Sink { get; private set; } = null!;

    public NewsletterApp App { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>No redirects followed, no key: what a reader's or a scanner's client does.</summary>
    public HttpClient Client { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public List<Reader> Readers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync();
        var settings = SmtpSettings(Sink.Port);
        settings["Votes:MinimumToShow"] = "2";

        // Generous, so that a slow machine still sees one test's quick requests as one burst.
        settings["Tracking:ScannerBurst"] = "00:00:10";
        Configure(settings);
        App = new NewsletterApp(settings, Provider);
        Address = App.StartKestrel();
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        Admin = new HttpClient { BaseAddress = Address };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", NewsletterApp.AdminKey);

        Readers = await AddReadersAsync(App, 6);
        await PublishAsync(Admin, Slug, "Vote <on> this & that");
        (await Admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForIssueAsync(Admin, 1, i => i.Status == "sent");
        await Sink.WaitForMessagesAsync(Readers.Count);
    }

    /// <summary>A subclass's own settings on top of these.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await App.DisposeAsync();
        await Sink.DisposeAsync();
    }

    /// <summary>Issue #<paramref name="number"/> as the reader received it.</summary>
    public ReceivedMail Mail(Reader reader, int number = 1) =>
        Sink.Messages().Single(m => m.Recipients.Contains(reader.Email) && (m.Message.MessageId ?? "").StartsWith($"issue-{number}.", StringComparison.Ordinal));

    /// <summary>The hrefs of the elements matching <paramref name="selector"/> in the mail's HTML.</summary>
    public static List<string> Links(ReceivedMail mail, string selector) =>
        [.. new HtmlParser().ParseDocument(mail.Html).QuerySelectorAll(selector).Select(a => a.GetAttribute("href")!)];

    /// <summary>A link from a mail, pointed at this app instead of the public address.</summary>
    public string Local(string link)
    {
        Assert.StartsWith(PublicBase + "/", link, StringComparison.Ordinal);
        return new Uri(Address, link[PublicBase.Length..]).ToString();
    }

    public async Task<List<LinkClicksView>> ClicksAsync(int number = 1) =>
        (await Admin.GetFromJsonAsync<IssueWithClicks>($"/api/digests/{number}", SampleComparisons.Web))!.Clicks;

    public sealed record LinkClicksView(string Url, int Clicks, int UniqueReaders);

    public sealed record IssueWithClicks(int Number, List<LinkClicksView> Clicks);
}

/// <summary>The same sent issue on PostgreSQL.</summary>
public sealed class PostgresReaderLinksFixture : ReaderLinksFixture
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
