using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Web;

/// <summary>GET /health is cheap for whoever asks: the checks run at most once a moment, and one client cannot ask without end.</summary>
// SQLite only: the caching and the limit are in memory; the PostgreSQL probe's answer is MigrationOnPostgresTests'.
public sealed class HealthEndpointTests : IDisposable
{
    private readonly CountingApp _app = new();

    [Fact]
    public async Task ManyAtOnceRunTheChecksOnceAndAFloodIsLimited()
    {
        var client = _app.CreateAdminClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/health")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, _app.Check.Runs);
        var report = JsonDocument.Parse(await answers[0].Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            statuses.Add((await client.GetAsync("/health")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    public void Dispose() => _app.Dispose();

    public sealed class CountingCheck : IHealthCheck
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            await Task.Delay(50, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class CountingApp : NewsletterApp
    {
        public CountingCheck Check { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddHealthChecks().AddCheck("counting", Check));
        }
    }
}

/// <summary>The runtime settings the product ships with.</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void TheProductRunsWorkstationGcWithBackgroundCollections()
    {
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Newsletter.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }
}
