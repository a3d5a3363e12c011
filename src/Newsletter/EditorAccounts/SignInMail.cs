using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;
using Newsletter.Mail;
using Newsletter.Templates;

namespace Newsletter.EditorAccounts;

/// <summary>The sign-in mail, from templates/editor-signin.html and .txt.</summary>
public sealed class SignInMail(TemplateLibrary templates, MailFactory mailFactory, IOptions<NewsletterOptions> newsletter)
{
    public const string HtmlTemplate = "editor-signin.html";
    public const string TextTemplate = "editor-signin.txt";

    public MimeMessage Build(string email, string? name, string token)
    {
        var options = newsletter.Value;
        var model = new
        {
            Name = name,
            Email = email,
            SiteName = options.Name,
            SignInUrl = options.Link(SignInPages.LinkPath + "?token=" + token),
            Minutes = (int)SignInLinks.Lifetime.TotalMinutes,
        };
        return mailFactory.Build(new OutgoingMail(
            new MailboxAddress(name ?? "", email),
            $"Your sign-in link for the {options.Name} console",
            templates.Render(HtmlTemplate, model),
            templates.Render(TextTemplate, model)));
    }
}
