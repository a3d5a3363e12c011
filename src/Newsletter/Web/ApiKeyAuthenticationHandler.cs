using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Newsletter.Web;

/// <summary>
/// The <see cref="Editors.ApiKeyScheme"/>: the admin key in X-Api-Key, or as Authorization: Bearer
/// (what Prometheus sends). No key is no result (and not a wrong key); a wrong key is counted.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminKey key,
    IEnumerable<IRouteKey> routeKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (string.IsNullOrEmpty(presented) || !key.IsConfigured)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!key.IsValid(presented))
        {
            if (routeKeys.Any(k => k.IsValid(presented)))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            key.RecordWrongKey(Context);
            return Task.FromResult(AuthenticateResult.Fail("wrong admin key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "editor (admin key)")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <summary>X-Api-Key, else Authorization: Bearer (shared with the route keys' schemes).</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Editors.HeaderName, out var header) && !string.IsNullOrEmpty(header))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
