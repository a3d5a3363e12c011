using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Audit;

/// <summary>GET /api/audit?actor=&amp;page=&amp;pageSize=: who did what, when, newest first.</summary>
public static class AuditApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminApi("/audit").MapGet("/", ReadAsync);
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ReadAsync(
        AuditLog log, CancellationToken ct, string? actor = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["must be 1 or more"];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"must be between 1 and {MaxPageSize}"];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The query is not valid")
            : TypedResults.Ok(await log.ReadAsync(actor, page, pageSize, ct));
    }
}
