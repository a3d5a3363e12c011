using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;
using Newsletter.Mail;
using Newsletter.Templates;

namespace Newsletter.Subscribers.Preferences;

/// <summary>The mail with a one-time export or erase link, from templates/data-link.html and .txt.</summary>
public sealed class DataRequestMail(TemplateLibrary templates, MailFactory mailFactory, IOptions<NewsletterOptions> newsletter)
{
    public const string HtmlTemplate = "data-link.html";
    public const string TextTemplate = "data-link.txt";

    public MimeMessage Build(Subscriber subscriber, DataRequestPurpose purpose, string token)
    {
        var options = newsletter.Value;
        var erase = purpose == DataRequestPurpose.Erase;
        var model = new
        {
            Name = subscriber.Name,
            Email = subscriber.Email,
            SiteName = options.Name,
            Erase = erase,
            LinkUrl = options.Link(DataRequestPages.LinkPath(purpose, token)),
            HomeUrl = options.Link("/"),
            ExpiresInHours = (int)ReaderDataRequests.LinkLifetime.TotalHours,
        };
        var subject = erase ? $"Erase your data at {options.Name}" : $"Your data at {options.Name}";
        return mailFactory.Build(new OutgoingMail(
            new MailboxAddress(subscriber.Name ?? "", subscriber.Email),
            subject,
            templates.Render(HtmlTemplate, model),
            templates.Render(TextTemplate, model)));
    }
}
