using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Web;

/// <summary>GET /health as JSON: the overall status and each check (database, scheduler) with its word.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
