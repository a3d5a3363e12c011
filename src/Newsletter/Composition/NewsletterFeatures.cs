using Newsletter.ApiDocs;
using Newsletter.Audit;
using Newsletter.Clicks;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.EditorAccounts;
using Newsletter.EditorConsole;
using Newsletter.Inbound;
using Newsletter.Mail;
using Newsletter.Scheduling;
using Newsletter.SendingSetup;
using Newsletter.Subscribers;
using Newsletter.Telemetry;
using Newsletter.Templates;
using Newsletter.Votes;
using Newsletter.Web;

namespace Newsletter.Composition;

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
        .AddAudit()
        .AddMail()
        .AddComparisons()
        .AddSubscribers()
        .AddDigests()
        .AddDelivery()
        .AddInbound()
        .AddSendingSetup()
        .AddVotes()
        .AddClicks()
        .AddTelemetry()
        .AddApiDocs()
        .AddEditorAccounts()
        .AddEditorConsole()
        .AddScheduling();

    public static WebApplication MapNewsletter(this WebApplication app)
    {
        app.UseWeb();
        app.UseRateLimiter();
        app.MapAudit();
        app.MapEditorAccounts();
        app.MapComparisons();
        app.MapSubscribers();
        app.MapDigests();
        app.MapDelivery();
        app.MapInbound();
        app.MapSendingSetup();
        app.MapVotes();
        app.MapClicks();
        app.MapMetrics();
        app.MapApiDocs();
        app.MapEditorConsole();
        return app;
    }
}
