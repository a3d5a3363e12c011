using Microsoft.Extensions.Options;
using Newsletter.Cli;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Scheduling;
using Newsletter.Subscribers;
using Newsletter.Templates;
using Newsletter.Web;

try
{
    var builder = NewsletterHost.CreateBuilder(args);
    builder.Services
        .AddData()
        .AddTemplates()
        .AddWeb()
        .AddComparisons()
        .AddSubscribers()
        .AddDigests()
        .AddDelivery()
        .AddScheduling();

    var app = builder.Build();
    app.UseWeb();
    app.UseRateLimiter();
    app.MapComparisons();
    app.MapSubscribers();
    app.MapDigests();
    app.MapDelivery();

    return await CommandLine.RunAsync(app, args);
}
catch (Exception e) when (NewsletterHost.IsStartupError(e))
{
    // One clear line, no stack trace: the message names the key, file or value that is wrong.
    await Console.Error.WriteLineAsync("newsletter: " + NewsletterHost.Describe(e));
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
