using System.Net;
using AngleSharp.Html.Parser;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

public class UnsubscribeTests(SignupFixture f) : IClassFixture<SignupFixture>
{
    /// <summary>Signs an address up and confirms it through the mailed link, as a reader would.</summary>
    private async Task<Subscriber> ConfirmedAsync(string prefix)
    {
        var email = SignupFixture.NewAddress(prefix);
        await f.SubscribeAsync(email);
        await f.ConfirmAsync(SignupFixture.ConfirmPath(await f.MailToAsync(email)));
        var subscriber = await f.SubscriberAsync(email);
        Assert.Equal(SubscriberStatus.Confirmed, subscriber.Status);
        return subscriber;
    }

    [Fact]
    public async Task GetShowsOneButtonAndChangesNothing()
    {
        var subscriber = await ConfirmedAsync("look");

        var page = await SignupFixture.PageAsync(await f.Client.GetAsync("/unsubscribe?token=" + subscriber.UnsubscribeToken), HttpStatusCode.OK);
        await f.Client.GetAsync("/unsubscribe?token=" + subscriber.UnsubscribeToken);

        var document = new HtmlParser().ParseDocument(page);
        var form = Assert.Single(document.QuerySelectorAll("main form"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/unsubscribe?token=" + subscriber.UnsubscribeToken, form.GetAttribute("action"));
        Assert.Single(form.QuerySelectorAll("button"));
        Assert.Contains("@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain(subscriber.Email, page, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(subscriber.Email)).Status);
    }

    [Fact]
    public async Task ThePagesButtonUnsubscribes()
    {
        var subscriber = await ConfirmedAsync("button");
        var page = await f.Client.GetStringAsync("/unsubscribe?token=" + subscriber.UnsubscribeToken);
        var action = new HtmlParser().ParseDocument(page).QuerySelector("main form")!.GetAttribute("action")!;

        var response = await f.Client.PostAsync(action, new FormUrlEncodedContent([]));

        Assert.Contains("You're unsubscribed", (await SignupFixture.PageAsync(response, HttpStatusCode.OK)).Replace("&#39;", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        var after = await f.SubscriberAsync(subscriber.Email);
        Assert.Equal(SubscriberStatus.Unsubscribed, after.Status);
        Assert.NotNull(after.UnsubscribedAt);
    }

    [Fact]
    public async Task OneClickPostFromAMailClientUnsubscribesAtOnce()
    {
        var subscriber = await ConfirmedAsync("oneclick");
        var response = await f.Client.PostAsync(
            "/unsubscribe?token=" + subscriber.UnsubscribeToken,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await f.SubscriberAsync(subscriber.Email)).Status);

        // A second post (mail clients retry) is harmless.
        Assert.Equal(HttpStatusCode.OK, (await f.Client.PostAsync(
            "/unsubscribe?token=" + subscriber.UnsubscribeToken,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }))).StatusCode);
    }

    [Theory]
    [InlineData("/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/unsubscribe?token=%3Cscript%3E")]
    [InlineData("/unsubscribe")]
    public async Task UnknownTokenGetsAPageSayingTheLinkIsNotValid(string path)
    {
        var post = await f.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        var get = await f.Client.GetAsync(path);

        Assert.Contains("This link is not valid", await SignupFixture.PageAsync(post, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("This link is not valid", await SignupFixture.PageAsync(get, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("shortened")]
    [InlineData("lengthened")]
    [InlineData("other case")]
    public async Task ATamperedRealTokenUnsubscribesNobody(string change)
    {
        var subscriber = await ConfirmedAsync("tamper");
        var token = subscriber.UnsubscribeToken;
        var tampered = change switch
        {
            "flipped" => (token[0] == 'A' ? 'B' : 'A') + token[1..],
            "shortened" => token[..^1],
            "lengthened" => token + "A",
            _ => string.Concat(token.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))),
        };

        var post = await f.Client.PostAsync("/unsubscribe?token=" + Uri.EscapeDataString(tampered), new FormUrlEncodedContent([]));
        var get = await f.Client.GetAsync("/unsubscribe?token=" + Uri.EscapeDataString(tampered));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(subscriber.Email)).Status);
    }

    [Fact]
    public async Task SigningUpAgainAfterUnsubscribingNeedsAFreshConfirmation()
    {
        var subscriber = await ConfirmedAsync("back");
        await f.Client.PostAsync("/unsubscribe?token=" + subscriber.UnsubscribeToken, new FormUrlEncodedContent([]));

        var page = await SignupFixture.PageAsync(await f.SubscribeAsync(subscriber.Email), HttpStatusCode.OK);

        Assert.Contains("Check your inbox", page, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Pending, (await f.SubscriberAsync(subscriber.Email)).Status);
        // The second confirmation mail (a welcome may have gone out between them, or not: the reader left at once).
        var mail = await f.ConfirmationMailToAsync(subscriber.Email, count: 2);
        Assert.Equal(HttpStatusCode.OK, (await f.ConfirmAsync(SignupFixture.ConfirmPath(mail))).StatusCode);
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(subscriber.Email)).Status);
    }

    [Fact]
    public async Task UnsubscribingVoidsAPendingConfirmationLink()
    {
        var email = SignupFixture.NewAddress("void");
        await f.SubscribeAsync(email);
        var path = SignupFixture.ConfirmPath(await f.MailToAsync(email));
        var pending = await f.SubscriberAsync(email);

        await f.Client.PostAsync("/unsubscribe?token=" + pending.UnsubscribeToken, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.NotFound, (await f.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.ConfirmAsync(path)).StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await f.SubscriberAsync(email)).Status);
    }
}

public sealed class UnsubscribeOnPostgresTests(PostgresSignupFixture f) : UnsubscribeTests(f), IClassFixture<PostgresSignupFixture>;
