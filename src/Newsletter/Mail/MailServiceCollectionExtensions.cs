using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// Mail building and transport that every feature shares: confirmations (Subscribers), previews
/// (Digests) and digest sends (Delivery) build through MailFactory and reach SMTP the same way. All
/// SMTP code lives here: connections, the messengers, reading MailKit's failures.
/// </summary>
public static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddMail(this IServiceCollection services)
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
        services.AddSingleton<IValidateOptions<NewsletterOptions>, PublicLinksValidation>();
        services.AddSingleton<SmtpConnector>();
        services.AddSingleton<IMailSender, SingleMailSender>();
        services.AddSection<BouncesOptions>(BouncesOptions.Section);
        services.AddSingleton(Verp.Create);
        services.AddSingleton<IMessengerFactory, MessengerFactory>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DkimOptions>>().Value.Enabled
            ? new MailFactory(sp.GetRequiredService<IOptions<NewsletterOptions>>(), ActivatorUtilities.CreateInstance<DkimSigner>(sp), sp.GetRequiredService<Verp>())
            : new MailFactory(sp.GetRequiredService<IOptions<NewsletterOptions>>(), verp: sp.GetRequiredService<Verp>()));
        return services;
    }
}
