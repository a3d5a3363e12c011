using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Web;

/// <summary>
/// The one rule for who is an editor: the X-Api-Key header equals Newsletter:AdminApiKey, or the
/// browser holds the session cookie that /admin sets after the key was typed once.
/// </summary>
public sealed class AdminAuth(IOptionsMonitor<NewsletterOptions> options, TimeProvider clock)
{
    public const string HeaderName = "X-Api-Key";
    public const string CookieName = "newsletter_admin";

    /// <summary>How long a browser stays signed in; the server checks it, not only the cookie's own age.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(30);

    public bool IsConfigured => !string.IsNullOrEmpty(options.CurrentValue.AdminApiKey);

    /// <summary>Constant-time: hashing first makes the comparison independent of the key's length too.</summary>
    public bool IsValidKey(string? presented) =>
        IsConfigured && presented is not null &&
        CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(options.CurrentValue.AdminApiKey!));

    /// <summary>
    /// The cookie holds when it was issued and an HMAC of that time under the key, not the key: the
    /// browser never stores the secret, a session ends after <see cref="SessionLifetime"/> whatever
    /// the browser keeps, and a new key signs every editor out.
    /// </summary>
    public string SessionValue() => SessionValue(clock.GetUtcNow().ToUnixTimeSeconds());

    public bool IsValidSession(string? cookie)
    {
        if (!IsConfigured || cookie is null || cookie.Split('.') is not [var issuedText, _]
            || !long.TryParse(issuedText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var issued))
        {
            return false;
        }

        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        return age >= TimeSpan.FromMinutes(-5) && age <= SessionLifetime &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(SessionValue(issued)));
    }

    private string SessionValue(long issuedAt) =>
        issuedAt.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Convert.ToHexString(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(options.CurrentValue.AdminApiKey ?? ""),
            Encoding.UTF8.GetBytes("newsletter-admin-session:" + issuedAt.ToString(System.Globalization.CultureInfo.InvariantCulture))));

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
            MaxAge = SessionLifetime,
        });

    /// <summary>
    /// Wrong keys per client address per minute before it is refused outright: enough for typos,
    /// far too few to guess a key.
    /// </summary>
    public const int WrongKeysPerMinute = 10;

    private readonly PartitionedRateLimiter<string> _wrongKeys = PartitionedRateLimiter.Create<string, string>(
        address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = WrongKeysPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>True while this client address has used up its wrong guesses.</summary>
    public bool IsLockedOut(HttpContext http)
    {
        using var probe = _wrongKeys.AttemptAcquire(Address(http), permitCount: 0);
        return !probe.IsAcquired;
    }

    /// <summary>Counts a wrong key or cookie; false once the address is over its limit.</summary>
    public bool RecordFailure(HttpContext http)
    {
        using var lease = _wrongKeys.AttemptAcquire(Address(http));
        return lease.IsAcquired;
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

/// <summary>Marks an endpoint as editors-only; <see cref="AdminOnlyMiddleware"/> enforces it.</summary>
public sealed class AdminOnlyMetadata;

/// <summary>
/// Guards editors-only endpoints before they run, so nothing is read or bound for a stranger:
/// 503 when no key is configured, 401 without a valid key or cookie, 429 once an address has
/// guessed wrong too often (<see cref="AdminAuth.IsLockedOut"/>).
/// </summary>
public sealed class AdminOnlyMiddleware(RequestDelegate next, AdminAuth auth, ILogger<AdminOnlyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AdminOnlyMetadata>() is null)
        {
            await next(http);
            return;
        }

        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? refusal = null;
        if (!auth.IsConfigured)
        {
            logger.LogWarning("Admin request to {Path} refused: Newsletter:AdminApiKey is not set", http.Request.Path);
            refusal = TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The admin API is disabled",
                detail: "Set Newsletter:AdminApiKey to enable it.");
        }
        else if (auth.IsLockedOut(http))
        {
            refusal = TooManyAttempts();
        }
        else if (!auth.IsEditor(http))
        {
            refusal = auth.RecordFailure(http)
                ? TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized",
                    detail: $"Send the admin key in the {AdminAuth.HeaderName} header.")
                : TooManyAttempts();
        }

        if (refusal is null)
        {
            await next(http);
            return;
        }

        await refusal.ExecuteAsync(http);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooManyAttempts() => TypedResults.Problem(
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many wrong keys",
        detail: "Wait a minute before trying again.");
}
