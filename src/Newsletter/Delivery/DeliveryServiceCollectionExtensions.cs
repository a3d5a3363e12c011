using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSection<SmtpOptions>(SmtpOptions.Section);
        services.AddSection<DkimOptions>(DkimOptions.Section)
            // The key file is relative to the content root, for the check at start as for the signer.
            .PostConfigure<IHostEnvironment>((o, environment) =>
            {
                if (!string.IsNullOrWhiteSpace(o.PrivateKeyPath))
                {
                    o.PrivateKeyPath = environment.ResolvePath(o.PrivateKeyPath);
                }
            });
        services.AddSection<DeliveryOptions>(DeliveryOptions.Section);
        services.AddSingleton<SmtpConnector>();
        services.AddSingleton<IMailSender, SingleMailSender>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DkimOptions>>().Value.Enabled
            ? new MailFactory(sp.GetRequiredService<IOptions<NewsletterOptions>>(), ActivatorUtilities.CreateInstance<DkimSigner>(sp))
            : new MailFactory(sp.GetRequiredService<IOptions<NewsletterOptions>>()));

        // The engine and what it stands on: the queue in SQL, the issue's status, the messengers.
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<IssueLifecycle>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<IMessengerFactory, MessengerFactory>();
        services.AddSingleton<IssueMaker>();
        services.AddSingleton<SendSlots>();
        services.AddSingleton<DeliveryEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryEngine>());
        return services;
    }

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app) => app.MapDeliveryApi();
}
