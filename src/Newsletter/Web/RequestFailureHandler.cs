using Microsoft.AspNetCore.Diagnostics;
using Newsletter.Data;

namespace Newsletter.Web;

/// <summary>
/// Failures that are not bugs get the answer a user expects instead of a 500 and a stack trace:
/// a request the server refuses to read (too large: 413; malformed: 400) and a database that cannot
/// take writes (disk full, read-only: 503, logged once for the operator). Pages get an HTML page,
/// /api gets problem details. Anything else is left to the default handler (500).
/// </summary>
internal sealed class RequestFailureHandler(
    IProblemDetailsService problems, PageRenderer pages, ILogger<RequestFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = status == StatusCodes.Status413PayloadTooLarge ? "The request is too large" : "The request cannot be read";
            detail = status == StatusCodes.Status413PayloadTooLarge
                ? "The body is larger than this route accepts."
                : "The request was cut off or is not well formed.";
            logger.LogInformation("{Method} {Path} refused with {Status}: {Reason}", http.Request.Method, http.Request.Path, status, bad.Message);
        }
        else if (DatabaseFailure.IsUnwritable(exception))
        {
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Something is wrong on our side";
            detail = "Nothing was saved: the database cannot be written right now. Please try again later.";
            logger.LogError(exception, "{Method} {Path}: the database cannot be written (disk full or read-only?)", http.Request.Method, http.Request.Path);
        }
        else
        {
            return false;
        }

        if (http.Response.HasStarted)
        {
            return false;
        }

        http.Response.Clear();
        http.Response.StatusCode = status;
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            await pages.Page("pages/error.html", title, new { Title = title, Message = detail }, status).ExecuteAsync(http);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
