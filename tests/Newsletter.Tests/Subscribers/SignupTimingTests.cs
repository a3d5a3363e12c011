using System.Diagnostics;
using System.Net;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// The answer to POST /subscribe must not tell who is subscribed, not even by its time: a confirmed
/// address takes as long as a new one. Without the answer's floor (<see cref="Signup.AnswerFloor"/>)
/// a new address took 1.1× to 1.3× as long, depending on the machine: an insert against an update.
/// It runs alone, after the classes that run in parallel, so their load does not blur the medians.
/// </summary>
[Collection(Alone.Name)]
public sealed class SignupTimingTests(SignupFixture f) : IClassFixture<SignupFixture>
{
    private const int Rounds = 40;

    [Fact]
    public async Task AConfirmedAddressAnswersInTheTimeOfANewOne()
    {
        var confirmed = SignupFixture.NewAddress("timed");
        await f.SubscribeAsync(confirmed);
        await f.ConfirmAsync(SignupFixture.ConfirmPath(await f.MailToAsync(confirmed)));

        var asNew = new List<double>();
        var asConfirmed = new List<double>();
        for (var i = 0; i < Rounds + 5; i++)
        {
            // Interleaved, so a busy moment of the machine weighs on both alike.
            var fresh = await TimeAsync(SignupFixture.NewAddress("fresh"));
            var known = await TimeAsync(confirmed);
            if (i >= 5)
            {
                asNew.Add(fresh);
                asConfirmed.Add(known);
            }
        }

        var ratio = Median(asNew) / Median(asConfirmed);
        Assert.True(ratio is > 0.95 and < 1.05,
            $"median {Median(asNew):F2} ms for a new address against {Median(asConfirmed):F2} ms for a confirmed one");
    }

    private async Task<double> TimeAsync(string email)
    {
        var watch = Stopwatch.StartNew();
        var response = await f.SubscribeAsync(email);
        watch.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}
