using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Newsletter.Mail;
using Newsletter.Web;

namespace Newsletter.Inbound.Webhooks;

/// <summary>
/// Who may post to /api/bounces: an editor (the admin key, or the session cookie under the editor
/// rules), or a provider with Bounces:WebhookKey, which opens this route and no other. Providers that
/// cannot send a header put the key in the URL (https://any-name:KEY@host/api/bounces), which
/// arrives as Authorization: Basic; scripts may send it in X-Api-Key (or as Bearer) like the admin key.
/// </summary>
public static class WebhookAccess
{
    public const string Scheme = "BounceWebhookKey";

    /// <summary>The route's policy, as an object on the route (so the API description sees its editor requirement).</summary>
    public static AuthorizationPolicy Policy { get; } = new AuthorizationPolicyBuilder(Editors.ApiKeyScheme, Editors.CookieScheme, Scheme)
        .AddRequirements(new BounceWebhookRequirement()).Build();

    public static IServiceCollection AddWebhookAccess(this IServiceCollection services)
    {
        services.AddSingleton<WebhookKey>();
        services.AddSingleton<IRouteKey>(sp => sp.GetRequiredService<WebhookKey>());
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, WebhookKeyAuthenticationHandler>(Scheme, null);
        services.AddSingleton<IAuthorizationHandler, WebhookKeyAuthorizationHandler>();
        return services;
    }
}

/// <summary>Bounces:WebhookKey, compared in constant time.</summary>
public sealed class WebhookKey(IOptionsMonitor<BouncesOptions> options) : IRouteKey
{
    public bool IsConfigured => !string.IsNullOrEmpty(options.CurrentValue.WebhookKey);

    public bool IsValid(string? presented) =>
        IsConfigured && !string.IsNullOrEmpty(presented) &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(options.CurrentValue.WebhookKey!)));
}

/// <summary>
/// The editor rules (admin key; cookie with same-origin changes) hold here too, since this
/// requirement is an <see cref="EditorRequirement"/>; <see cref="WebhookKeyAuthorizationHandler"/>
/// adds the webhook key. A 401 challenges for basic auth, which some callers wait for before sending it.
/// </summary>
public sealed class BounceWebhookRequirement : EditorRequirement
{
    public override string? Challenge => "Basic realm=\"bounces\", charset=\"UTF-8\"";
}

public sealed class WebhookKeyAuthorizationHandler : AuthorizationHandler<BounceWebhookRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, BounceWebhookRequirement requirement)
    {
        if (context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == WebhookAccess.Scheme))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The webhook key as the basic-auth password (any user name), in X-Api-Key, or as Bearer. A wrong one is counted like a wrong admin key.</summary>
public sealed class WebhookKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, WebhookKey key, AdminKey adminKey)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var basic = BasicPassword(Request);
        var presented = basic ?? ApiKeyAuthenticationHandler.Presented(Request);
        if (string.IsNullOrEmpty(presented) || !key.IsConfigured)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!key.IsValid(presented))
        {
            // The admin key's scheme judges (and counts) a wrong key in its own headers; basic auth is ours alone.
            if (basic is not null && !adminKey.IsValid(basic))
            {
                adminKey.RecordWrongKey(Context);
            }

            return Task.FromResult(AuthenticateResult.Fail("wrong webhook key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "bounce webhook")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    private static string? BasicPassword(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
