using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSection<SmtpOptions>(SmtpOptions.Section);
        services.AddSection<DkimOptions>(DkimOptions.Section);
        services.AddSingleton<SmtpConnector>();
        services.AddSingleton<IMailSender, SingleMailSender>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DkimOptions>>().Value.Enabled
            ? new MailFactory(sp.GetRequiredService<IOptions<NewsletterOptions>>(), ActivatorUtilities.CreateInstance<DkimSigner>(sp))
            : new MailFactory(sp.GetRequiredService<IOptions<NewsletterOptions>>()));
        return services;
    }

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app) => app;
}
