using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Subscribers;

/// <summary>The editors' routes under /api/subscribers (admin key required).</summary>
public static class SubscribersApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapSubscribersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/subscribers");
        group.MapGet("/", ListAsync);
        group.MapPost("/import", ImportAsync).DisableAntiforgery();
        group.MapGet("/export", ExportAsync);
        group.MapDelete("/{email}", EraseAsync);
        return app;
    }

    private static async Task<Results<Ok<SubscriberPage>, ValidationProblem>> ListAsync(
        SubscriberDirectory directory, CancellationToken ct, string? status = null, string? q = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        SubscriberStatus? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (SubscriberCsv.TryParseStatus(status, out var parsed))
            {
                filter = parsed;
            }
            else
            {
                errors["status"] = ["must be pending, confirmed, unsubscribed, bounced or complained"];
            }
        }

        if (page < 1)
        {
            errors["page"] = ["must be 1 or more"];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"must be between 1 and {MaxPageSize}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");
        }

        return TypedResults.Ok(await directory.ListAsync(filter, q, page, pageSize, ct));
    }

    /// <summary>The CSV as the request body (text/csv), or as the first file of a multipart form.</summary>
    private static async Task<Results<Ok<ImportResult>, ValidationProblem>> ImportAsync(
        HttpRequest request, SubscriberImport import, CancellationToken ct)
    {
        var body = request.Body;
        if (request.HasFormContentType)
        {
            // Read already (FormBodies): one that cannot be read was answered with a 400 or 413.
            var form = await request.ReadFormAsync(ct);

            if (form.Files.Count == 0)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["file"] = ["send the CSV as the body or as a file in the form"] },
                    title: "No CSV in the request");
            }

            body = form.Files[0].OpenReadStream();
        }

        try
        {
            return TypedResults.Ok(await import.ImportAsync(body, "import", ct));
        }
        catch (SubscriberCsvException e)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["file"] = [e.Message] }, title: "The CSV cannot be imported");
        }
    }

    private static async Task ExportAsync(HttpResponse response, SubscriberExport export, CancellationToken ct)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"subscribers-{DateTime.UtcNow:yyyyMMdd}.csv\"";
        await export.WriteAsync(response.Body, ct);
    }

    private static async Task<Results<NoContent, NotFound>> EraseAsync(string email, SubscriberDirectory directory, CancellationToken ct) =>
        await directory.EraseAsync(email, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
