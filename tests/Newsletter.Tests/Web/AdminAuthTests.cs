using System.Net;
using Newsletter.Tests.Fixtures;
using Newsletter.Web;

namespace Newsletter.Tests.Web;

public sealed class AdminAuthTests : IDisposable
{
    private readonly NewsletterApp _app = new();

    [Fact]
    public async Task StrangerIsRefusedBeforeTheBodyIsRead()
    {
        var client = _app.CreateClient();

        var response = await client.PostAsync("/api/digests/preview", SampleComparisons.Content("{ this is not json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GuessingTheKeyIsStoppedAfterAFewTries()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "guess");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < AdminAuth.WrongKeysPerMinute + 2; i++)
        {
            answers.Add((await client.GetAsync("/api/comparisons")).StatusCode);
        }

        Assert.All(answers.Take(AdminAuth.WrongKeysPerMinute), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        // Even the right key waits: a locked-out address learns nothing more this minute.
        var right = _app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await right.GetAsync("/api/comparisons")).StatusCode);
    }

    public void Dispose() => _app.Dispose();
}
