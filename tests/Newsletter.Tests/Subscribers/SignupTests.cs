using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

public class SignupTests(SignupFixture f) : IClassFixture<SignupFixture>
{
    [Fact]
    public async Task NewAddressGetsAConfirmationMailWhoseLinkConfirms()
    {
        var email = SignupFixture.NewAddress("new");

        var page = await SignupFixture.PageAsync(await f.SubscribeAsync(email, "Ada"), HttpStatusCode.OK);
        Assert.Contains("Check your inbox", page, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Pending, (await f.SubscriberAsync(email)).Status);

        var mail = await f.MailToAsync(email);
        Assert.Equal("Confirm your subscription to AI Tool Verdicts", mail.Message.Subject);
        Assert.Contains("Hi Ada,", mail.Text, StringComparison.Ordinal);
        var path = SignupFixture.ConfirmPath(mail);
        Assert.Contains(path.Replace("&", "&amp;", StringComparison.Ordinal), mail.Html, StringComparison.Ordinal);

        // The link opens a page with one button; only the button confirms.
        var button = await SignupFixture.PageAsync(await f.Client.GetAsync(path), HttpStatusCode.OK);
        var form = Assert.Single(new HtmlParser().ParseDocument(button).QuerySelectorAll("main form"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal(path, form.GetAttribute("action"));
        Assert.Single(form.QuerySelectorAll("button"));
        Assert.Equal(SubscriberStatus.Pending, (await f.SubscriberAsync(email)).Status);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) ReaderBrowser/1.0");
        var confirmed = await SignupFixture.PageAsync(await f.Client.SendAsync(request), HttpStatusCode.OK);
        Assert.Contains("You're subscribed", confirmed, StringComparison.Ordinal);
        var subscriber = await f.SubscriberAsync(email);
        Assert.Equal(SubscriberStatus.Confirmed, subscriber.Status);
        Assert.InRange(subscriber.ConfirmedAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("127.0.0.1", subscriber.ConfirmedIp);
        Assert.Equal("Mozilla/5.0 (X11; Linux x86_64) ReaderBrowser/1.0", subscriber.ConfirmedUserAgent);
        Assert.Null(subscriber.ConfirmTokenHash);
    }

    [Fact]
    public async Task ALinkScannersGetConfirmsNothingAndTheReadersButtonStillDoes()
    {
        var email = SignupFixture.NewAddress("scanned");
        await f.SubscribeAsync(email);
        var path = SignupFixture.ConfirmPath(await f.MailToAsync(email));

        // What Safe Links, Proofpoint or Mimecast do with every link of a mail: GET it (and HEAD it).
        for (var i = 0; i < 3; i++)
        {
            var scan = new HttpRequestMessage(HttpMethod.Get, path);
            scan.Headers.UserAgent.ParseAdd("Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; SafeLinks)");
            Assert.Equal(HttpStatusCode.OK, (await f.Client.SendAsync(scan)).StatusCode);
        }

        await f.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        var scanned = await f.SubscriberAsync(email);
        Assert.Equal(SubscriberStatus.Pending, scanned.Status);
        Assert.Null(scanned.ConfirmedAt);
        Assert.NotNull(scanned.ConfirmTokenHash);
        Assert.Null(scanned.WelcomeMailDueAt);

        Assert.Equal(HttpStatusCode.OK, (await f.ConfirmAsync(path)).StatusCode);
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(email)).Status);
    }

    [Fact]
    public async Task OnlyTheHashOfTheConfirmationTokenIsStored()
    {
        var email = SignupFixture.NewAddress("hash");
        await f.SubscribeAsync(email);
        var token = Uri.UnescapeDataString(SignupFixture.ConfirmPath(await f.MailToAsync(email)).Split("token=")[1]);

        var subscriber = await f.SubscriberAsync(email);
        Assert.Equal(43, token.Length);
        Assert.Equal(SubscriberTokens.Hash(token), subscriber.ConfirmTokenHash);
        Assert.DoesNotContain(token, subscriber.ConfirmTokenHash, StringComparison.Ordinal);
        Assert.NotEqual(token, subscriber.UnsubscribeToken);
        Assert.InRange(subscriber.ConfirmTokenExpiresAt!.Value - subscriber.ConfirmationSentAt!.Value, TimeSpan.FromHours(47.9), TimeSpan.FromHours(48.1));
    }

    [Fact]
    public async Task ConsentTimeIpAndSourceAreStored()
    {
        var email = SignupFixture.NewAddress("consent");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await f.SubscribeAsync(email, referer: "https://verdicts.example.com/compare/mistral-vs-modal?utm_source=x");

        var subscriber = await f.SubscriberAsync(email);
        Assert.InRange(subscriber.ConsentAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("127.0.0.1", subscriber.ConsentIp);
        Assert.Equal("form https://verdicts.example.com/compare/mistral-vs-modal", subscriber.ConsentSource);
    }

    [Fact]
    public async Task AddressIsTrimmedAndItsDomainLowercased()
    {
        var local = "Mixed.Case-" + Guid.NewGuid().ToString("N")[..6];

        await f.SubscribeAsync($"  {local}@Example.COM \t");

        var subscriber = await f.SubscriberAsync($"{local}@example.com");
        Assert.Equal($"{local}@example.com", subscriber.Email);
        Assert.Equal($"{local}@example.com".ToLowerInvariant(), subscriber.EmailKey);
    }

    [Fact]
    public async Task SameAddressInOtherCaseIsTheSameSubscriber()
    {
        var email = SignupFixture.NewAddress("case");
        await f.SubscribeAsync(email);
        await f.ConfirmAsync(SignupFixture.ConfirmPath(await f.MailToAsync(email)));

        var again = await f.SubscribeAsync(email.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var key = email.ToLowerInvariant();
        Assert.Equal(1, await f.App.WithDbAsync(db => db.Subscribers.CountAsync(s => s.EmailKey == key)));
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(email)).Status);
        await f.AssertMailCountAsync(email, 2);
        Assert.Single(f.WelcomesTo(email));
    }

    [Fact]
    public async Task AnInternationalDomainInEitherFormIsOneReaderWhoGetsOneMail()
    {
        var local = "idn1-" + Guid.NewGuid().ToString("N")[..8];
        var unicode = $"{local}@bücher.example";
        var ascii = $"{local}@xn--bcher-kva.example";

        Assert.Equal(HttpStatusCode.OK, (await f.SubscribeAsync(unicode)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.SubscribeAsync(ascii)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.SubscribeAsync($"  {local}@BÜCHER.example ")).StatusCode);

        var readers = await f.App.WithDbAsync(db => db.Subscribers.AsNoTracking().Where(s => s.EmailKey.StartsWith(local)).ToListAsync());
        var reader = Assert.Single(readers);
        Assert.Equal(ascii, reader.EmailKey);
        Assert.Equal(unicode, reader.Email);

        // Confirmation mails leave in order: once a later signup's has arrived, a second one would have too.
        var marker = SignupFixture.NewAddress("marker");
        await f.SubscribeAsync(marker);
        await f.MailToAsync(marker);
        Assert.Equal(1, f.MailsTo(unicode).Count + f.MailsTo(ascii).Count);
    }

    [Fact]
    public async Task AnswerIsTheSameForNewPendingAndConfirmedAddresses()
    {
        var email = SignupFixture.NewAddress("same");

        var asNew = await SignupFixture.PageAsync(await f.SubscribeAsync(email), HttpStatusCode.OK);
        var asPending = await SignupFixture.PageAsync(await f.SubscribeAsync(email), HttpStatusCode.OK);
        await f.ConfirmAsync(SignupFixture.ConfirmPath(await f.MailToAsync(email)));
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(email)).Status);
        var asConfirmed = await SignupFixture.PageAsync(await f.SubscribeAsync(email), HttpStatusCode.OK);

        Assert.Equal(asNew, asPending);
        Assert.Equal(asNew, asConfirmed);
    }

    [Fact]
    public async Task ConfirmedAddressSigningUpAgainGetsNoMailAndStaysConfirmed()
    {
        var email = SignupFixture.NewAddress("again");
        await f.SubscribeAsync(email);
        await f.ConfirmAsync(SignupFixture.ConfirmPath(await f.MailToAsync(email)));
        var confirmedAt = (await f.SubscriberAsync(email)).ConfirmedAt;

        await f.SubscribeAsync(email, "Someone Else");

        var subscriber = await f.SubscriberAsync(email);
        Assert.Equal(SubscriberStatus.Confirmed, subscriber.Status);
        Assert.Equal(confirmedAt, subscriber.ConfirmedAt);
        Assert.Null(subscriber.Name);

        // The confirmation mail and the welcome that the confirmation owed; nothing for the second signup.
        await f.AssertMailCountAsync(email, 2);
        Assert.Single(f.WelcomesTo(email));
    }

    [Theory]
    [InlineData("", "Enter your email address")]
    [InlineData("   ", "Enter your email address")]
    [InlineData("reader.example.com", "needs an @")]
    [InlineData("reader@@example.com", "only one @")]
    [InlineData("@example.com", "part before the @ is missing")]
    [InlineData("reader@", "domain after the @ is missing")]
    [InlineData("reader@localhost", "needs a dot")]
    [InlineData("re ader@example.com", "cannot contain spaces")]
    [InlineData("reader.@example.com", "two dots in a row")]
    [InlineData("re..ader@example.com", "two dots in a row")]
    [InlineData("re(ader)@example.com", "cannot contain")]
    [InlineData("reader@-example.com", "not a valid domain")]
    [InlineData("reader@exa_mple.com", "not a valid domain")]
    [InlineData("reader@example.123", "not a valid domain")]
    public async Task InvalidAddressGets400WithTheReasonOnThePage(string email, string reason)
    {
        var response = await f.SubscribeAsync(email);

        var page = await SignupFixture.PageAsync(response, HttpStatusCode.BadRequest);
        var document = new HtmlParser().ParseDocument(page);
        Assert.Contains(reason, document.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", document.QuerySelector("#email")!.GetAttribute("aria-invalid"));
        Assert.NotNull(document.QuerySelector("form[action='/subscribe']"));
    }

    [Fact]
    public async Task TooLongAddressesAndNamesGet400()
    {
        var longLocal = new string('a', 65) + "@example.com";
        var longTotal = "reader@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 5)) + ".com";

        Assert.Contains("at most 64 characters", await SignupFixture.PageAsync(await f.SubscribeAsync(longLocal), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("at most 254 characters", await SignupFixture.PageAsync(await f.SubscribeAsync(longTotal), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("name is too long", await SignupFixture.PageAsync(await f.SubscribeAsync(SignupFixture.NewAddress("long"), new string('n', 201)), HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostWithoutAFormBodyGets400WithTheForm()
    {
        var response = await f.Client.PostAsync("/subscribe", new StringContent("{\"email\":\"a@example.com\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains("Enter your email address", await SignupFixture.PageAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkupInTheAddressIsEscapedOnThePage()
    {
        const string typed = "<script>alert(1)</script>@example.com";

        var page = await SignupFixture.PageAsync(await f.SubscribeAsync(typed), HttpStatusCode.BadRequest);

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Equal(typed, new HtmlParser().ParseDocument(page).QuerySelector("#email")!.GetAttribute("value"));
    }

    [Fact]
    public async Task MarkupInANameIsEscapedInTheHtmlMailAndVerbatimInTheText()
    {
        var email = SignupFixture.NewAddress("markup");
        const string name = "<b>Ann</b> & \"Bo\" <img src=x onerror=alert(1)>";

        await f.SubscribeAsync(email, name);
        var mail = await f.MailToAsync(email);

        Assert.Contains($"Hi {name},", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Ann", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", mail.Html, StringComparison.Ordinal);
        var html = new HtmlParser().ParseDocument(mail.Html);
        Assert.Contains($"Hi {name},", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.QuerySelectorAll("b, img"));
        Assert.Equal(name, (await f.SubscriberAsync(email)).Name);
    }

    [Fact]
    public async Task MarkupInANameIsShownAsWrittenOnThePage()
    {
        const string name = "<b>Ann</b> & \"Bo\"";

        var page = await SignupFixture.PageAsync(await f.SubscribeAsync("not-an-address", name), HttpStatusCode.BadRequest);

        Assert.Contains("&lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Bo&quot;", page, StringComparison.Ordinal);
        var document = new HtmlParser().ParseDocument(page);
        Assert.Equal(name, document.QuerySelector("#name")!.GetAttribute("value"));
        Assert.Empty(document.QuerySelectorAll("main b"));
    }

    [Fact]
    public async Task FilledHoneypotGetsTheNormalPageAndNoMail()
    {
        var email = SignupFixture.NewAddress("bot");
        var human = SignupFixture.NewAddress("human");
        var humanPage = await SignupFixture.PageAsync(await f.SubscribeAsync(human), HttpStatusCode.OK);

        var response = await f.SubscribeAsync(email, website: "https://spam.example");

        var page = await SignupFixture.PageAsync(response, HttpStatusCode.OK);
        Assert.Equal(humanPage.Replace(human, email, StringComparison.Ordinal), page);
        var key = email.ToLowerInvariant();
        Assert.False(await f.App.WithDbAsync(db => db.Subscribers.AnyAsync(s => s.EmailKey == key)));
        await f.AssertMailCountAsync(email, 0);
    }

    [Fact]
    public async Task AnAddressGetsNoSecondConfirmationMailWithinFiveMinutes()
    {
        var email = SignupFixture.NewAddress("throttle");
        await f.SubscribeAsync(email);
        var first = await f.MailToAsync(email);
        var sentAt = (await f.SubscriberAsync(email)).ConfirmationSentAt;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await f.SubscribeAsync(email)).StatusCode);
        }

        await f.AssertMailCountAsync(email, 1);
        Assert.Equal(sentAt, (await f.SubscriberAsync(email)).ConfirmationSentAt);

        // Six minutes later the reader may ask again: a fresh link replaces the first.
        await MoveConfirmationSentAtAsync(email, TimeSpan.FromMinutes(-6));
        await f.SubscribeAsync(email);
        await f.MailToAsync(email, count: 2);

        var firstPath = SignupFixture.ConfirmPath(first);
        var secondPath = Assert.Single(f.MailsTo(email).Select(SignupFixture.ConfirmPath), p => p != firstPath);
        Assert.Equal(HttpStatusCode.NotFound, (await f.Client.GetAsync(firstPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.ConfirmAsync(firstPath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.ConfirmAsync(secondPath)).StatusCode);
        Assert.Equal(SubscriberStatus.Confirmed, (await f.SubscriberAsync(email)).Status);
    }

    [Fact]
    public async Task ExpiredLinkExplainsAndOffersTheFormAndConfirmsNothing()
    {
        var email = SignupFixture.NewAddress("expired");
        await f.SubscribeAsync(email);
        var path = SignupFixture.ConfirmPath(await f.MailToAsync(email));
        var key = email.ToLowerInvariant();
        await f.App.WithDbAsync(db => db.Subscribers.Where(s => s.EmailKey == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmTokenExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        // The link says so before the button (GET) and after it (a page left open past the deadline).
        var page = await SignupFixture.PageAsync(await f.Client.GetAsync(path), HttpStatusCode.Gone);
        var pressed = await SignupFixture.PageAsync(await f.ConfirmAsync(path), HttpStatusCode.Gone);

        Assert.Contains("This link has expired", page, StringComparison.Ordinal);
        Assert.Contains("This link has expired", pressed, StringComparison.Ordinal);
        Assert.NotNull(new HtmlParser().ParseDocument(page).QuerySelector("form[action='/subscribe'] #email"));
        Assert.Equal(SubscriberStatus.Pending, (await f.SubscriberAsync(email)).Status);
    }

    [Fact]
    public async Task UsedLinkSaysItIsNotValidAndOffersTheForm()
    {
        var email = SignupFixture.NewAddress("used");
        await f.SubscribeAsync(email);
        var path = SignupFixture.ConfirmPath(await f.MailToAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await f.ConfirmAsync(path)).StatusCode);

        var page = await SignupFixture.PageAsync(await f.Client.GetAsync(path), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await f.ConfirmAsync(path)).StatusCode);

        Assert.Contains("This link is not valid", page, StringComparison.Ordinal);
        Assert.Contains("If you already confirmed, you're subscribed", page.Replace("&#39;", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.NotNull(new HtmlParser().ParseDocument(page).QuerySelector("form[action='/subscribe'] #email"));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("unknown")]
    [InlineData("garbage")]
    [InlineData("missing")]
    public async Task TamperedUnknownOrMissingTokenSaysTheLinkIsNotValid(string kind)
    {
        var email = SignupFixture.NewAddress(kind);
        await f.SubscribeAsync(email);
        var token = Uri.UnescapeDataString(SignupFixture.ConfirmPath(await f.MailToAsync(email)).Split("token=")[1]);
        var path = kind switch
        {
            "tampered" => "/confirm?token=" + (token[0] == 'A' ? 'B' : 'A') + token[1..],
            "unknown" => "/confirm?token=" + SubscriberTokens.New(),
            "garbage" => "/confirm?token=%27%20OR%201%3D1--",
            _ => "/confirm",
        };

        var page = await SignupFixture.PageAsync(await f.Client.GetAsync(path), HttpStatusCode.NotFound);
        var pressed = await SignupFixture.PageAsync(await f.ConfirmAsync(path), HttpStatusCode.NotFound);

        Assert.Contains("This link is not valid", page, StringComparison.Ordinal);
        Assert.Contains("This link is not valid", pressed, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Pending, (await f.SubscriberAsync(email)).Status);
    }

    [Fact]
    public async Task SignupPageIsAnAccessibleFormThatPostsWithoutJavaScript()
    {
        var page = await SignupFixture.PageAsync(await f.Client.GetAsync("/"), HttpStatusCode.OK);

        var document = new HtmlParser().ParseDocument(page);
        Assert.Equal("en", document.DocumentElement.GetAttribute("lang"));
        Assert.Empty(document.QuerySelectorAll("script"));
        var form = document.QuerySelector("form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/subscribe", form.GetAttribute("action"));
        foreach (var id in new[] { "email", "name" })
        {
            Assert.NotNull(document.QuerySelector($"label[for={id}]"));
        }

        Assert.Equal("email", document.QuerySelector("#email")!.GetAttribute("type"));
        Assert.Equal("-1", document.QuerySelector("#website")!.GetAttribute("tabindex"));
        Assert.Contains(":focus-visible", page, StringComparison.Ordinal);
        Assert.Contains("width=device-width", page, StringComparison.Ordinal);
    }

    private Task<int> MoveConfirmationSentAtAsync(string email, TimeSpan by)
    {
        var key = email.ToLowerInvariant();
        var at = DateTimeOffset.UtcNow + by;
        return f.App.WithDbAsync(db => db.Subscribers.Where(s => s.EmailKey == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmationSentAt, at)));
    }
}

public sealed class SignupOnPostgresTests(PostgresSignupFixture f) : SignupTests(f), IClassFixture<PostgresSignupFixture>;
