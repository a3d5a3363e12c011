using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Newsletter.Comparisons;

/// <summary>
/// The optional feed source: reads Sources:Feed:Url (JSON Feed 1.1) and upserts each item's
/// `_comparison` document. An invalid item is logged with its fields and skipped; the others still
/// land. Conditional GETs keep an unchanged feed cheap, so the poller is one instance that
/// remembers the last ETag. When it runs is the schedule's business (Scheduling/FeedPollJob).
/// </summary>
public sealed partial class FeedPoller(
    IOptions<FeedOptions> options,
    IHttpClientFactory http,
    IServiceScopeFactory scopes,
    ILogger<FeedPoller> logger)
{
    public const string DefaultSchedule = "0 0/15 * * * ?";

    private EntityTagHeaderValue? _etag;
    private DateTimeOffset? _lastModified;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Url);

    /// <summary>Sources:Feed:Schedule, or every 15 minutes.</summary>
    public string Schedule => string.IsNullOrWhiteSpace(options.Value.Schedule) ? DefaultSchedule : options.Value.Schedule;

    /// <summary>One poll of the configured feed; never throws but for cancellation (the next poll tries again).</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return;
        }

        var url = new Uri(options.Value.Url!);
        try
        {
            await PollOnceAsync(url, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A poll that throws would only fail the job; logging says why and the next poll tries again.
            LogPollFailed(e, Redacted(url), e.Message);
        }
    }

    /// <summary>One poll; failures are logged and the next poll tries again.</summary>
    public async Task<FeedPollResult> PollOnceAsync(Uri url, CancellationToken cancellationToken)
    {
        var result = new FeedPollResult();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.IfNoneMatch.AddIfPresent(_etag);
            request.Headers.IfModifiedSince = _lastModified;
            using var response = await http.CreateClient(nameof(FeedPoller)).SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return result;
            }

            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var feed = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            await ImportItemsAsync(feed.RootElement, result, cancellationToken);
            _etag = response.Headers.ETag;
            _lastModified = response.Content.Headers.LastModified;
            LogPolled(Redacted(url), result.Created, result.Updated, result.Invalid);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogPollFailed(e, Redacted(url), e.Message);
        }

        return result;
    }

    private async Task ImportItemsAsync(JsonElement feed, FeedPollResult result, CancellationToken cancellationToken)
    {
        if (!feed.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("the feed has no items array");
        }

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ComparisonStore>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var id = item.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"#{index}";
            index++;
            if (!item.TryGetProperty("_comparison", out var document))
            {
                continue;
            }

            UpsertResult upsert;
            try
            {
                upsert = document.ValueKind == JsonValueKind.Object
                    ? await store.UpsertAsync(document.Deserialize<ComparisonDocument>(ComparisonDocument.JsonOptions)!, cancellationToken)
                    : UpsertResult.Invalid(new() { ["_comparison"] = ["must be a comparison document (a JSON object)"] });
            }
            catch (JsonException e)
            {
                upsert = UpsertResult.Invalid(new() { [e.Path ?? "$"] = [e.Message] });
            }
            catch (DbUpdateException e)
            {
                // E.g. a PUT of the same new slug won the race: this item is retried on the next poll.
                upsert = UpsertResult.Invalid(new() { ["slug"] = [$"could not be saved now ({e.InnerException?.Message ?? e.Message})"] });
            }

            switch (upsert.Outcome)
            {
                case UpsertOutcome.Created: result.Created++; break;
                case UpsertOutcome.Updated: result.Updated++; break;
                default:
                    result.Invalid++;
                    LogInvalidItem(id, string.Join("; ", upsert.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")));
                    break;
            }
        }
    }

    /// <summary>Feed URLs often carry an access token in the query or user info: log only scheme, host and path.</summary>
    private static string Redacted(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    [LoggerMessage(LogLevel.Information, "Feed {Url}: {Created} created, {Updated} updated, {Invalid} invalid")]
    private partial void LogPolled(string url, int created, int updated, int invalid);

    [LoggerMessage(LogLevel.Warning, "Feed item {Id} skipped: {Errors}")]
    private partial void LogInvalidItem(string id, string errors);

    [LoggerMessage(LogLevel.Warning, "Feed {Url} could not be read: {Reason}")]
    private partial void LogPollFailed(Exception e, string url, string reason);
}

public sealed class FeedPollResult
{
    public int Created { get; set; }

    public int Updated { get; set; }

    public int Invalid { get; set; }
}

internal static class EntityTagExtensions
{
    public static void AddIfPresent(this HttpHeaderValueCollection<EntityTagHeaderValue> headers, EntityTagHeaderValue? tag)
    {
        if (tag is not null)
        {
            headers.Add(tag);
        }
    }
}
