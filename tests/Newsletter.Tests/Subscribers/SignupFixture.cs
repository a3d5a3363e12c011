using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// The app on a real Kestrel port (so requests have a client IP) sending over SMTP to a real
/// smtp-sink, with a signup limit high enough that the tests never meet it. One per test class.
/// </summary>
public partial class SignupFixture : IAsyncLifetime
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReceivedMail> _parsed = new();

    public SmtpSink Sink { get; private set; } = null!;

    public NewsletterApp App { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync();
        App = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = Sink.Host,
            ["Smtp:Port"] = Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Subscribers:SignupsPerMinutePerIp"] = "100000",
        }, Provider);
        Address = App.StartKestrel();
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Sink.DisposeAsync();
    }

    public static string NewAddress(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)] + "@example.com";

    public Task<HttpResponseMessage> SubscribeAsync(string? email, string? name = null, string? website = null, string? referer = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (email is not null)
        {
            fields.Add(new("email", email));
        }

        if (name is not null)
        {
            fields.Add(new("name", name));
        }

        if (website is not null)
        {
            fields.Add(new("website", website));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/subscribe") { Content = new FormUrlEncodedContent(fields) };
        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        return Client.SendAsync(request);
    }

    /// <summary>Waits for the mail to that address and returns the newest one.</summary>
    public Task<ReceivedMail> MailToAsync(string address, int count = 1) => MailToAsync(address, count, _ => true);

    /// <summary>Waits for the confirmation mails to that address (not the welcome) and returns the newest one.</summary>
    public Task<ReceivedMail> ConfirmationMailToAsync(string address, int count = 1) =>
        MailToAsync(address, count, m => m.Message.Subject?.StartsWith("Confirm your subscription", StringComparison.Ordinal) == true);

    private async Task<ReceivedMail> MailToAsync(string address, int count, Func<ReceivedMail, bool> which)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var mails = MailsTo(address).Where(which).ToList();
            if (mails.Count >= count)
            {
                return mails[^1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{mails.Count} mails to {address}, expected {count}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The mails to an address that smtp-sink has finished writing. The sink writes each dump
    /// while it receives it, so a file still changing in the last moment is left for the next look.
    /// </summary>
    public IReadOnlyList<ReceivedMail> MailsTo(string address)
    {
        var mails = new List<ReceivedMail>();
        foreach (var file in new DirectoryInfo(Sink.Folder).EnumerateFiles("*", SearchOption.AllDirectories)
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            if (file.LastWriteTimeUtc > DateTime.UtcNow.AddMilliseconds(-300))
            {
                continue;
            }

            if (!_parsed.TryGetValue(file.FullName, out var mail))
            {
                try
                {
                    mail = ReceivedMail.Load(file.FullName);
                }
                catch (FormatException)
                {
                    continue;
                }

                _parsed[file.FullName] = mail;
            }

            if (mail.Recipients.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                mails.Add(mail);
            }
        }

        return mails;
    }

    /// <summary>
    /// Proves that nothing more went out to <paramref name="address"/>: confirmation mails leave in
    /// order through one queue, so once a later signup's mail has arrived, an earlier one would have too.
    /// </summary>
    public async Task AssertMailCountAsync(string address, int expected)
    {
        var marker = NewAddress("marker");
        (await SubscribeAsync(marker)).EnsureSuccessStatusCode();
        await MailToAsync(marker);
        Assert.Equal(expected, MailsTo(address).Count);
    }

    /// <summary>The confirmation link in a mail's text part, as a path on this app.</summary>
    public static string ConfirmPath(ReceivedMail mail)
    {
        var match = ConfirmLink().Match(mail.Text);
        Assert.True(match.Success, "no confirmation link in: " + mail.Text);
        return new Uri(match.Value).PathAndQuery;
    }

    /// <summary>
    /// Presses the button of the confirm page: a POST to the mailed link's path. A GET of the link
    /// only shows the button (link scanners open every link), so every confirmation in the tests posts.
    /// </summary>
    public Task<HttpResponseMessage> ConfirmAsync(string path) => ConfirmAsync(Client, path);

    /// <summary><see cref="ConfirmAsync(string)"/> with another client, as the page's form posts it.</summary>
    public static Task<HttpResponseMessage> ConfirmAsync(HttpClient client, string path) =>
        client.PostAsync(path, new FormUrlEncodedContent([]));

    /// <summary>The welcome mails to an address (the confirmation mails are the others).</summary>
    public IReadOnlyList<ReceivedMail> WelcomesTo(string address) =>
        [.. MailsTo(address).Where(m => m.Message.Subject?.StartsWith("Welcome to ", StringComparison.Ordinal) == true)];

    public async Task<Subscriber> SubscriberAsync(string email)
    {
        var key = email.ToLowerInvariant();
        return await App.WithDbAsync(db => db.Subscribers.AsNoTracking().SingleAsync(s => s.EmailKey == key));
    }

    public static async Task<string> PageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        return body;
    }

    [GeneratedRegex(@"https://verdicts\.example\.com/confirm\?token=[A-Za-z0-9_%-]+")]
    private static partial Regex ConfirmLink();
}

/// <summary>The same app and sink on PostgreSQL.</summary>
public sealed class PostgresSignupFixture : SignupFixture
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
