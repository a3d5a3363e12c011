using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Web;

/// <summary>GET /health as JSON: the overall status, and for an editor each check (database, scheduler …) with its words.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext http, HealthReport report, bool details)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        if (!details)
        {
            return JsonSerializer.SerializeAsync(http.Response.Body, new { status = report.Status.ToString() });
        }

        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
