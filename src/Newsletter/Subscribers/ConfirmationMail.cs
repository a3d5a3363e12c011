using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Mail;
using Newsletter.Hosting;
using Newsletter.Templates;

namespace Newsletter.Subscribers;

/// <summary>The double opt-in mail, from templates/confirmation.html and .txt.</summary>
public sealed class ConfirmationMail(
    TemplateLibrary templates, MailFactory mailFactory, IOptions<NewsletterOptions> newsletter, IOptions<SubscribersOptions> subscribers)
{
    public const string HtmlTemplate = "confirmation.html";
    public const string TextTemplate = "confirmation.txt";

    public MimeMessage Build(Subscriber subscriber, string token)
    {
        var options = newsletter.Value;
        var model = new
        {
            Name = subscriber.Name,
            Email = subscriber.Email,
            SiteName = options.Name,
            ConfirmUrl = options.Confirm(token),
            HomeUrl = options.Link("/"),
            ExpiresInHours = subscribers.Value.ConfirmationTokenHours,
        };
        var subject = $"Confirm your subscription to {options.Name}";
        return mailFactory.Build(new OutgoingMail(
            new MailboxAddress(subscriber.Name ?? "", subscriber.Email),
            subject,
            templates.Render(HtmlTemplate, model),
            templates.Render(TextTemplate, model)));
    }
}
