using System.Net;
using AngleSharp.Html.Parser;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// The welcome mail, as a reader gets it at a real smtp-sink: after the confirm button (POST), never
/// after a GET of the link, once, with the latest issue's comparisons and the reader's own links.
/// </summary>
public sealed class WelcomeMailTests(SignupFixture f) : IClassFixture<SignupFixture>
{
    private const string Site = "https://verdicts.example.com";

    private async Task<(string Email, string Path)> SignedUpAsync(string prefix, string? name = null)
    {
        var email = SignupFixture.NewAddress(prefix);
        Assert.Equal(HttpStatusCode.OK, (await f.SubscribeAsync(email, name)).StatusCode);
        return (email, SignupFixture.ConfirmPath(await f.MailToAsync(email)));
    }

    [Fact]
    public async Task TheWelcomeArrivesAfterThePostAndNotAfterAGet()
    {
        const string name = "<b>Ann</b> & \"Bo\"";
        var (email, path) = await SignedUpAsync("welcome", name);

        Assert.Equal(HttpStatusCode.OK, (await f.Client.GetAsync(path)).StatusCode);
        await f.AssertMailCountAsync(email, 1);

        Assert.Equal(HttpStatusCode.OK, (await f.ConfirmAsync(path)).StatusCode);
        var welcome = await f.MailToAsync(email, count: 2);
        var reader = await f.SubscriberAsync(email);

        Assert.Equal("Welcome to AI Tool Verdicts", welcome.Message.Subject);
        var preferences = $"{Site}/preferences?token={reader.UnsubscribeToken}";
        var unsubscribe = $"{Site}/unsubscribe?token={reader.UnsubscribeToken}";
        Assert.Contains($"Your preferences: {preferences}", welcome.Text, StringComparison.Ordinal);
        Assert.Contains($"Unsubscribe: {unsubscribe}", welcome.Text, StringComparison.Ordinal);
        var html = new HtmlParser().ParseDocument(welcome.Html);
        Assert.Equal(preferences, html.QuerySelector("a.preferences")!.GetAttribute("href"));
        Assert.Equal(unsubscribe, html.QuerySelector("a.unsubscribe")!.GetAttribute("href"));

        // One-click unsubscribe as on a digest (RFC 8058).
        Assert.StartsWith($"<{unsubscribe}>, <mailto:", welcome.Message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", welcome.Message.Headers["List-Unsubscribe-Post"]);

        // The reader's name: escaped in the HTML part, as written in the text part.
        Assert.Contains($"Hi {name},", welcome.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Ann", welcome.Html, StringComparison.Ordinal);
        Assert.Contains($"Hi {name},", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.QuerySelectorAll("b"));
    }

    [Fact]
    public async Task AWelcomeGoesOnceEvenWhenTheButtonIsPressedTwiceOrTwoAtATime()
    {
        var (twice, twicePath) = await SignedUpAsync("twice");
        Assert.Equal(HttpStatusCode.OK, (await f.ConfirmAsync(twicePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.ConfirmAsync(twicePath)).StatusCode);

        var (racing, racingPath) = await SignedUpAsync("racing");
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => f.ConfirmAsync(racingPath)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));

        await f.MailToAsync(twice, count: 2);
        await f.MailToAsync(racing, count: 2);
        await f.AssertMailCountAsync(twice, 2);
        await f.AssertMailCountAsync(racing, 2);
        Assert.Single(f.WelcomesTo(twice));
        Assert.Single(f.WelcomesTo(racing));
    }

    [Fact]
    public async Task TheWelcomeCarriesTheNewestComparisonsAndThenTheLatestIssues()
    {
        using var admin = f.App.CreateAdminClient();
        await PublishAsync(admin, "welcome-first-verdict", "First Verdict: Alpha vs Beta");

        // Before the first issue: the newest comparisons.
        var (early, earlyPath) = await SignedUpAsync("early");
        await f.ConfirmAsync(earlyPath);
        var first = await f.MailToAsync(early, count: 2);
        Assert.Contains("First Verdict: Alpha vs Beta", first.Text, StringComparison.Ordinal);
        Assert.Contains("here are the newest comparisons", first.Text, StringComparison.Ordinal);
        Assert.Contains("First Verdict: Alpha vs Beta", new HtmlParser().ParseDocument(first.Html).QuerySelector("a.title")!.TextContent, StringComparison.Ordinal);

        // Issue #1 carries it; a comparison published after the issue is not the issue's.
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        await PublishAsync(admin, "welcome-later-verdict", "Later Verdict: Gamma vs Delta");

        var (late, latePath) = await SignedUpAsync("late");
        await f.ConfirmAsync(latePath);
        var welcome = await f.MailToAsync(late, count: 2);
        Assert.Contains("the latest issue, #1, carried", welcome.Text, StringComparison.Ordinal);
        Assert.Contains($"{Site}/issues/1", welcome.Text, StringComparison.Ordinal);
        Assert.Contains("First Verdict: Alpha vs Beta", welcome.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Later Verdict", welcome.Text, StringComparison.Ordinal);
        var titles = new HtmlParser().ParseDocument(welcome.Html).QuerySelectorAll("a.title").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["First Verdict: Alpha vs Beta"], titles);
    }

    [Fact]
    public async Task NoWelcomeWhenTheSettingIsOff()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = sink.Host,
            ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Subscribers:WelcomeMail"] = "false",
        });
        var client = app.CreateClient();
        var email = SignupFixture.NewAddress("quiet");

        (await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", email)]))).EnsureSuccessStatusCode();
        var path = SignupFixture.ConfirmPath(Assert.Single(await sink.WaitForMessagesAsync(1)));
        Assert.Equal(HttpStatusCode.OK, (await SignupFixture.ConfirmAsync(client, path)).StatusCode);

        // The queue is in order: once a later signup's confirmation is here, a welcome would be too.
        var marker = SignupFixture.NewAddress("marker");
        (await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", marker)]))).EnsureSuccessStatusCode();
        var mails = await sink.WaitForMessagesAsync(2);
        Assert.Single(mails, m => m.Recipients.Contains(email));
        Assert.DoesNotContain(mails, m => m.Message.Subject?.StartsWith("Welcome", StringComparison.Ordinal) == true);
    }
}
