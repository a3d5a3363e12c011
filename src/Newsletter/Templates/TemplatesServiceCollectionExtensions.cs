using Newsletter.Hosting;

namespace Newsletter.Templates;

public static class TemplatesServiceCollectionExtensions
{
    public static IServiceCollection AddTemplates(this IServiceCollection services)
    {
        services.AddSection<TemplateOptions>(TemplateOptions.Section);
        services.AddSingleton<TemplateLibrary>();

        // Parse every template at start, so a syntax error stops the worker before it serves or sends.
        services.AddHostedService<TemplateWarmup>();
        return services;
    }

    private sealed class TemplateWarmup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<TemplateLibrary>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
