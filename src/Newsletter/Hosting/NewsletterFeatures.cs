using Newsletter.ApiDocs;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.EditorConsole;
using Newsletter.Mail;
using Newsletter.Scheduling;
using Newsletter.Subscribers;
using Newsletter.Telemetry;
using Newsletter.Templates;
using Newsletter.Web;

namespace Newsletter.Hosting;

/// <summary>
/// The table of contents: every feature, in the order its hosted services start (the database is
/// migrated first, the schedule last), and every route. Program.cs and the benchmark use this one list.
/// </summary>
public static class NewsletterFeatures
{
    public static IServiceCollection AddNewsletter(this IServiceCollection services) => services
        .AddData()
        .AddTemplates()
        .AddWeb()
        .AddMail()
        .AddComparisons()
        .AddSubscribers()
        .AddDigests()
        .AddDelivery()
        .AddScheduling()
        .AddTelemetry()
        .AddApiDocs()
        .AddEditorConsole();

    public static WebApplication MapNewsletter(this WebApplication app)
    {
        app.UseWeb();
        app.UseRateLimiter();
        app.MapComparisons();
        app.MapSubscribers();
        app.MapDigests();
        app.MapDelivery();
        app.MapMetrics();
        app.MapApiDocs();
        app.MapEditorConsole();
        return app;
    }
}
