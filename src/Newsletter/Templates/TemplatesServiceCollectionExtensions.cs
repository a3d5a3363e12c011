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

    private sealed class TemplateWarmup(TemplateLibrary library) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        // The constructor argument alone makes the host build the library, and fail, at start.
        public override string ToString() => library.Folder;
    }
}
