using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Web;

/// <summary>
/// GET /health. Running the checks (a database write, the scheduler) is the most expensive thing a
/// stranger can ask for, so the report is made at most once per <see cref="CachedHealthReport.CacheFor"/>
/// (callers in between share it) and each client may ask <see cref="PerClientPer10Seconds"/> times in
/// ten seconds; an uptime check or a load balancer asks far less often.
/// </summary>
public static class HealthEndpoint
{
    public const string Policy = "health";
    public const int PerClientPer10Seconds = 50;

    public static IServiceCollection AddHealthEndpoint(this IServiceCollection services)
    {
        services.AddSingleton<CachedHealthReport>();
        services.AddRateLimiter(o => o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = PerClientPer10Seconds, Window = TimeSpan.FromSeconds(10), QueueLimit = 0 })));
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (HttpContext http, CachedHealthReport health) =>
        {
            var report = await health.GetAsync(http.RequestAborted);
            http.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            http.Response.Headers.CacheControl = "no-store";
            await HealthReportWriter.WriteAsync(http, report, details: await IsEditorAsync(http));
        }).RequireRateLimiting(Policy);
        return app;
    }

    /// <summary>
    /// Each check's words name hosts, ports and raw database errors: only an editor (the key, or the
    /// console's session) sees them; anyone else (a load balancer, an uptime check) gets the status.
    /// </summary>
    private static async Task<bool> IsEditorAsync(HttpContext http) =>
        (await http.AuthenticateAsync(Editors.ApiKeyScheme)).Succeeded
        || (await http.AuthenticateAsync(Editors.CookieScheme)).Succeeded;
}

/// <summary>The last health report, kept for a moment; concurrent callers wait for one run of the checks.</summary>
public sealed class CachedHealthReport(HealthCheckService checks, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthReport Report, DateTimeOffset At)? _last;

    public async Task<HealthReport> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } report)
        {
            return report;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            var made = await checks.CheckHealthAsync(cancellationToken);
            _last = (made, clock.GetUtcNow());
            return made;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private HealthReport? Fresh() => _last is { } last && clock.GetUtcNow() - last.At < CacheFor ? last.Report : null;
}
