using Microsoft.Extensions.Options;
using Newsletter.Web;

namespace Newsletter.Subscribers;

/// <summary>
/// The public pages: GET / (the form), POST /subscribe, GET and POST /confirm, GET and POST
/// /unsubscribe. The POSTs take plain cross-origin form posts (the form is embedded on the
/// comparison site, and mail clients post the RFC 8058 one-click), so they carry no antiforgery
/// token; /confirm and /unsubscribe need the token of the reader's link instead, which only their
/// mail holds. GET /confirm shows one button and changes nothing (link scanners open every link).
/// </summary>
public static class SignupPages
{
    public const string SignupPolicy = "signup";

    public static IEndpointRouteBuilder MapSignupPages(this IEndpointRouteBuilder app)
    {
        // HEAD too (an uptime check, a link preview): the same answer without the body.
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (PageRenderer pages) => SignupPage(pages, new SignupResult("", null, null)));
        app.MapPost("/subscribe", SubscribeAsync).DisableAntiforgery().RequireRateLimiting(SignupPolicy)
            .OnUnreadableForm(http => SignupPage(
                http.RequestServices.GetRequiredService<PageRenderer>(),
                new SignupResult("", null, "We could not read that form. Please enter your address and try again."),
                StatusCodes.Status400BadRequest));
        app.MapGet("/confirm", ConfirmPageAsync);
        app.MapPost("/confirm", ConfirmAsync).DisableAntiforgery();
        app.MapGet("/unsubscribe", UnsubscribePageAsync);
        app.MapPost("/unsubscribe", UnsubscribeAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>The 429 page, for the rate limiter's rejection.</summary>
    public static IResult TooManyAttempts(PageRenderer pages) =>
        pages.Page("pages/too-many-attempts.html", "Too many attempts", new { }, StatusCodes.Status429TooManyRequests);

    private static IResult SignupPage(PageRenderer pages, SignupResult form, int status = StatusCodes.Status200OK) =>
        pages.Page("pages/signup.html", "Get the next comparison in your inbox", new { form.Email, form.Name, form.Error }, status);

    private static async Task<IResult> SubscribeAsync(
        HttpContext http, Signup signup, PageRenderer pages, IOptions<SubscribersOptions> options, CancellationToken ct)
    {
        // A form that cannot be read never gets here (FormBodies answers it with this page and a 400).
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : FormCollection.Empty;

        var result = await signup.SubmitAsync(
            new SignupForm(form["email"], form["name"], form["website"], http.Connection.RemoteIpAddress?.ToString(), Source(http.Request)),
            ct);
        if (!result.Accepted)
        {
            return SignupPage(pages, result, StatusCodes.Status400BadRequest);
        }

        return pages.Page("pages/check-inbox.html", "Check your inbox", new { result.Email, ExpiresInHours = options.Value.ConfirmationTokenHours });
    }

    private static async Task<IResult> ConfirmPageAsync(string? token, Confirmation confirmation, PageRenderer pages, IOptions<SubscribersOptions> options, HttpResponse response, CancellationToken ct)
    {
        var result = await confirmation.FindAsync(token, ct);
        response.Headers.CacheControl = "no-store";
        return result.Outcome == ConfirmOutcome.Ready
            ? pages.Page("pages/confirm.html", "Confirm your subscription", new { result.Email, Token = token })
            : ConfirmAnswer(result, pages, options);
    }

    private static async Task<IResult> ConfirmAsync(string? token, HttpContext http, Confirmation confirmation, PageRenderer pages, IOptions<SubscribersOptions> options, CancellationToken ct)
    {
        var request = new ConfirmRequest(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
        var result = await confirmation.ConfirmAsync(token, request, ct);
        http.Response.Headers.CacheControl = "no-store";
        return ConfirmAnswer(result, pages, options);
    }

    private static IResult ConfirmAnswer(ConfirmResult result, PageRenderer pages, IOptions<SubscribersOptions> options) => result.Outcome switch
    {
        ConfirmOutcome.Confirmed => pages.Page("pages/confirmed.html", "You're subscribed", new { result.Email }),
        ConfirmOutcome.Expired => pages.Page(
            "pages/confirm-failed.html", "This link has expired",
            new { Expired = true, ExpiresInHours = options.Value.ConfirmationTokenHours, Email = "", Name = "", Error = (string?)null },
            StatusCodes.Status410Gone),
        _ => pages.Page(
            "pages/confirm-failed.html", "This link is not valid",
            new { Expired = false, ExpiresInHours = options.Value.ConfirmationTokenHours, Email = "", Name = "", Error = (string?)null },
            StatusCodes.Status404NotFound),
    };

    private static async Task<IResult> UnsubscribePageAsync(string? token, Unsubscription unsubscription, PageRenderer pages, CancellationToken ct)
    {
        var target = await unsubscription.FindAsync(token, ct);
        if (target is null)
        {
            return UnknownUnsubscribeLink(pages);
        }

        return target.AlreadyUnsubscribed
            ? pages.Page("pages/unsubscribed.html", "You're unsubscribed", new { Email = target.MaskedEmail })
            : pages.Page("pages/unsubscribe.html", "Unsubscribe", new { Email = target.MaskedEmail, Token = token });
    }

    /// <summary>The page's button and a mail client's one-click post alike (the body is not needed).</summary>
    private static async Task<IResult> UnsubscribeAsync(string? token, Unsubscription unsubscription, PageRenderer pages, CancellationToken ct)
    {
        var target = await unsubscription.UnsubscribeAsync(token, ct);
        return target is null
            ? UnknownUnsubscribeLink(pages)
            : pages.Page("pages/unsubscribed.html", "You're unsubscribed", new { Email = target.MaskedEmail });
    }

    private static IResult UnknownUnsubscribeLink(PageRenderer pages) =>
        pages.Page("pages/unsubscribe-failed.html", "This link is not valid", new { }, StatusCodes.Status404NotFound);

    /// <summary>Where the form was: the comparison page it is embedded on, or our own page.</summary>
    private static string Source(HttpRequest request)
    {
        var page = request.Headers.Referer.ToString();
        if (string.IsNullOrEmpty(page))
        {
            page = request.Headers.Origin.ToString();
        }

        // The page without its query: that is where the form was, and a query may hold anything.
        if (Uri.TryCreate(page, UriKind.Absolute, out var uri))
        {
            page = uri.GetLeftPart(UriPartial.Path);
        }

        var source = string.IsNullOrEmpty(page) ? "form" : "form " + page;
        return source.Length > 500 ? source[..500] : source;
    }
}
