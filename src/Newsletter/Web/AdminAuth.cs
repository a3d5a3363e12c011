using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Web;

/// <summary>
/// The one rule for who is an editor: the X-Api-Key header equals Newsletter:AdminApiKey, or the
/// browser holds the session cookie that /admin sets after the key was typed once.
/// </summary>
public sealed class AdminAuth(IOptionsMonitor<NewsletterOptions> options)
{
    public const string HeaderName = "X-Api-Key";
    public const string CookieName = "newsletter_admin";

    public bool IsConfigured => !string.IsNullOrEmpty(options.CurrentValue.AdminApiKey);

    /// <summary>Constant-time: hashing first makes the comparison independent of the key's length too.</summary>
    public bool IsValidKey(string? presented) =>
        IsConfigured && presented is not null &&
        CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(options.CurrentValue.AdminApiKey!));

    /// <summary>
    /// The cookie holds an HMAC of the key, not the key: the browser never stores the secret, and a
    /// new key signs every editor out.
    /// </summary>
    public string SessionValue() =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.CurrentValue.AdminApiKey ?? ""), "newsletter-admin-session"u8));

    public bool IsValidSession(string? cookie) =>
        IsConfigured && cookie is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(SessionValue()));

    public bool IsEditor(HttpContext http) =>
        IsValidKey(http.Request.Headers[HeaderName]) || IsValidSession(http.Request.Cookies[CookieName]);

    /// <summary>Sets the session cookie: HttpOnly, SameSite=Strict, Secure over https.</summary>
    public void SignIn(HttpContext http) =>
        http.Response.Cookies.Append(CookieName, SessionValue(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromDays(30),
        });

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

/// <summary>Guards a route group: 503 when no key is configured, 401 without a valid key or cookie.</summary>
public sealed class AdminOnlyFilter(AdminAuth auth, ILogger<AdminOnlyFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!auth.IsConfigured)
        {
            logger.LogWarning("Admin request to {Path} refused: Newsletter:AdminApiKey is not set", context.HttpContext.Request.Path);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The admin API is disabled",
                detail: "Set Newsletter:AdminApiKey to enable it.");
        }

        if (!auth.IsEditor(context.HttpContext))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: $"Send the admin key in the {AdminAuth.HeaderName} header.");
        }

        return await next(context);
    }
}
