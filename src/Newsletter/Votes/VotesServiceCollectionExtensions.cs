using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Newsletter.Links;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

public static class VotesServiceCollectionExtensions
{
    public static IServiceCollection AddVotes(this IServiceCollection services)
    {
        services.AddSection<VotesOptions>(VotesOptions.Section);
        services.TryAddSingleton<LinkKeys>();
        services.AddScoped<Voting>();
        services.AddSingleton<VoteComparisons>();
        services.AddSingleton<VoteWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<VoteWriter>());
        services.AddScoped<VoteReads>();
        services.AddSingleton<IReaderErasure, ErasedReaderVotes>();
        services.AddSingleton<IReaderDataExport, ReaderVotesExport>();
        services.AddSingleton<IReaderMerge, MergedReaderVotes>();

        // Like signups: per client IP, a fixed window of one minute (the rejection page is the signup one).
        services.AddRateLimiter(o => o.AddPolicy(VotePages.VotePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = http.RequestServices.GetRequiredService<IOptions<VotesOptions>>().Value.VotesPerMinutePerIp,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));
        return services;
    }

    public static IEndpointRouteBuilder MapVotes(this IEndpointRouteBuilder app) =>
        app.MapVotePages().MapVotesApi();
}
