using Newsletter.Comparisons;
using Newsletter.Hosting;
using Newsletter.Subscribers;

namespace Newsletter.Digests;

public static class DigestsServiceCollectionExtensions
{
    public static IServiceCollection AddDigests(this IServiceCollection services)
    {
        services.AddSection<DigestOptions>(DigestOptions.Section);
        services.AddScoped<DigestAssembler>();

        // Singleton: templates are parsed once and the renderer opens its own scope to read an issue,
        // so the delivery engine can hold it for the whole send.
        services.AddSingleton<DigestRenderer>();
        services.AddSingleton<IDigestRenderer, Selections.SelectiveDigestRenderer>();
        services.AddSingleton<Selections.ReaderSelections>();
        services.AddSingleton<IReaderMerge, Selections.MergedReaderLedger>();
        services.AddScoped<Selections.SelectionPreview>();
        services.AddScoped<DigestPreviewer>();
        services.AddScoped<DigestDrafts>();
        services.AddScoped<SubjectTests>();
        services.AddScoped<IssueReads>();
        services.AddScoped<ScheduledPreview>();
        services.AddSingleton<IssueLifecycle>();
        services.AddSingleton<IComparisonIssues, ComparisonIssues>();
        services.AddScoped<Subscribers.IWelcomeMail, WelcomeMail>();
        return services;
    }

    public static IEndpointRouteBuilder MapDigests(this IEndpointRouteBuilder app) =>
        app.MapDigestArchive().MapArchiveFeed().MapNextDigestApi().MapDraftApi().MapIssuesApi();
}
