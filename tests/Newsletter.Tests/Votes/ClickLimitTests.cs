using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Clicks;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Votes;

/// <summary>
/// A burst on tracked links against the real app (Kestrel): every request still reaches the page,
/// but only Tracking:RecordsPerReader clicks per reader part and RecordsPerAddress per client
/// address are written.
/// </summary>
public sealed class ClickLimitTests(ClickLimitTests.Fixture f) : IClassFixture<ClickLimitTests.Fixture>
{
    private const int PerReader = 10;
    private const int PerAddress = 15;
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static readonly string ComparisonUrl = SampleComparisons.Node()["url"]!.GetValue<string>();

    public sealed class Fixture : ReaderLinksFixture
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Tracking:RecordsPerReader"] = PerReader.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Tracking:RecordsPerAddress"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture);

            // Long enough that no window ends during the test, so the limits are exact.
            settings["Tracking:RecordWindow"] = "01:00:00";
        }
    }

    [Fact]
    public async Task ABurstOnOneLinkRecordsOnlyTheLimitAndEveryRequestStillRedirects()
    {
        Assert.Equal(0, await RecordedAsync());

        // One reader's link fetched 400 times, 16 at a time: the reader limit binds.
        var first = f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[0]), "a.full-verdict")[0]);
        await BurstAsync(first, 400);
        Assert.Equal(PerReader, await RecordedAsync());

        // Other readers' links from the same address: the address limit binds.
        await BurstAsync(f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[1]), "a.full-verdict")[0]), 40);
        await BurstAsync(f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[2]), "a.title")[0]), 40);
        Assert.Equal(PerAddress, await RecordedAsync());
    }

    private async Task BurstAsync(string link, int count)
    {
        using var gate = new SemaphoreSlim(16);
        var responses = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, link);
                request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
                using var response = await f.Client.SendAsync(request);
                return (response.StatusCode, Location: response.Headers.Location?.ToString());
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(responses, r => Assert.Equal((HttpStatusCode.Found, ComparisonUrl), (r.StatusCode, r.Location)));
    }

    /// <summary>The clicks in the database once those already answered are written.</summary>
    private async Task<int> RecordedAsync()
    {
        await f.App.Services.GetRequiredService<ClickBuffer>().FlushAsync();
        return await f.App.WithDbAsync(db => db.Set<Click>().CountAsync());
    }
}
