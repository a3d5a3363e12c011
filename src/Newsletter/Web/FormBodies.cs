using Microsoft.AspNetCore.Http.Features;

namespace Newsletter.Web;

/// <summary>
/// One place that reads every form a route is sent, before the route runs, and decides how a form
/// that cannot be read is answered: 413 over the size limit, 400 for anything else not well formed
/// (a NUL in a field, more than 1,024 fields, a key over 2,048 characters, a multipart body cut off
/// mid-field), as the error page or, under /api, problem details (<see cref="RequestFailureHandler"/>).
/// A route may answer the 400 with its own page (<see cref="OnUnreadableForm{TBuilder}"/>). So every
/// route that reads a form, a new one included, never meets an unreadable one; the form it reads is
/// the one already parsed here.
/// </summary>
public static class FormBodies
{
    /// <summary>
    /// An urlencoded form holds a few fields; a megabyte is far more than any of ours needs. Files
    /// come as multipart and keep the server's body limit (30 MB).
    /// </summary>
    public const long UrlEncodedLimit = 1024 * 1024;

    /// <summary>The page a route shows instead of the error page for a form it cannot read (400).</summary>
    public static TBuilder OnUnreadableForm<TBuilder>(this TBuilder builder, Func<HttpContext, IResult> answer) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new UnreadableFormAnswer(answer));

    /// <summary>After authorization (a stranger's body is never read), before the endpoint.</summary>
    public static IApplicationBuilder UseFormBodies(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint() is { } endpoint && http.Request.HasFormContentType)
        {
            var failure = await ReadAsync(http);
            if (failure is not null)
            {
                if (failure.StatusCode == StatusCodes.Status400BadRequest
                    && endpoint.Metadata.GetMetadata<UnreadableFormAnswer>() is { } own
                    && !http.Request.Path.StartsWithSegments("/api"))
                {
                    http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FormBodies))
                        .LogInformation("{Method} {Path}: form not readable: {Reason}", http.Request.Method, http.Request.Path, failure.Message);
                    await own.Answer(http).ExecuteAsync(http);
                    return;
                }

                // RequestFailureHandler answers it, as every request the server refuses to read.
                throw failure;
            }
        }

        await next(http);
    });

    private static async Task<BadHttpRequestException?> ReadAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (request.ContentLength > UrlEncodedLimit)
            {
                return TooLarge();
            }

            // A body with no declared length is cut at the limit while it is read.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size
                && (size.MaxRequestBodySize is null || size.MaxRequestBodySize > UrlEncodedLimit))
            {
                size.MaxRequestBodySize = UrlEncodedLimit;
            }
        }

        try
        {
            await request.ReadFormAsync(http.RequestAborted);
            return null;
        }
        catch (BadHttpRequestException e)
        {
            return e;
        }
        catch (InvalidDataException e)
        {
            return new BadHttpRequestException("The form is not well formed: " + e.Message, StatusCodes.Status400BadRequest, e);
        }
        catch (IOException e)
        {
            // A multipart body that ends mid-field ("Unexpected end of Stream").
            return new BadHttpRequestException("The form was cut off: " + e.Message, StatusCodes.Status400BadRequest, e);
        }
    }

    private static BadHttpRequestException TooLarge() =>
        new($"The form is larger than {UrlEncodedLimit} bytes.", StatusCodes.Status413PayloadTooLarge);

    private sealed record UnreadableFormAnswer(Func<HttpContext, IResult> Answer);
}
