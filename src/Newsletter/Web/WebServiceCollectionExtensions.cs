using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Newsletter.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddSingleton<PageRenderer>();
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.AddEditors();
        services.AddExceptionHandler<RequestFailureHandler>();
        services.AddHealthEndpoint();
        return services;
    }

    /// <summary>
    /// Who is an editor (<see cref="Editors"/>): the admin key scheme, the session cookie scheme,
    /// the "editor" policy over both, and how a refusal is answered.
    /// </summary>
    private static IServiceCollection AddEditors(this IServiceCollection services)
    {
        services.AddSingleton<AdminKey>();
        services.AddSingleton<EditorSessions>();
        services.AddSingleton<Acting>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Editors.ApiKeyScheme, null)
            .AddCookie(Editors.CookieScheme, o =>
            {
                o.Cookie.Name = Editors.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;

                // Secure over https; behind a proxy, https is seen only when forwarded headers are trusted (README).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = Editors.SessionLifetime;
                o.SlidingExpiration = false;
                o.LoginPath = Editors.SignInPath;
                o.Events.OnValidatePrincipal = async context =>
                {
                    // A session opened under another key (or with the admin API since disabled) ends now,
                    // and so does one signed out (on the server: a copied cookie is refused too).
                    // An editor's own session (no key claim) ends when the editor is removed (EditorSessions.RevokeEditorAsync).
                    var services = context.HttpContext.RequestServices;
                    var key = services.GetRequiredService<AdminKey>();
                    var ownSession = context.Principal?.FindFirst(Acting.EditorClaim) is not null;
                    if ((!ownSession && !key.MatchesFingerprint(context.Principal?.FindFirst(EditorSignIn.KeyClaim)?.Value))
                        || !await services.GetRequiredService<EditorSessions>().IsOpenAsync(context.Principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                    }
                };
            });

        // The session's 30 days are counted on the app's clock (a fake one in tests).
        services.AddOptions<CookieAuthenticationOptions>(Editors.CookieScheme)
            .Configure<TimeProvider>((o, clock) => o.TimeProvider = clock);

        services.AddAuthorizationBuilder().AddPolicy(Editors.Policy, policy => policy
            .AddAuthenticationSchemes(Editors.ApiKeyScheme, Editors.CookieScheme)
            .AddRequirements(new EditorRequirement()));
        services.AddSingleton<IAuthorizationHandler, EditorAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, EditorRefusals>();
        return services;
    }

    /// <summary>The admin API's route group: every route under it needs an editor.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup("/api" + prefix).RequireEditor();

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // After routing (so the endpoint is known), before the endpoint runs (so nothing is bound).
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseFormBodies();
        app.MapEditorSignIn();
        app.MapHealthEndpoint();
        return app;
    }
}
