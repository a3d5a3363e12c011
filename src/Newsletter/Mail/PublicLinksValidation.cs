using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// When mail really goes out (Smtp:Host set), every link in it starts with Newsletter:PublicBaseUrl,
/// and Gmail and Yahoo only honour an https one-click unsubscribe: http is refused at start, except
/// for a loopback address (a local test server).
/// </summary>
internal sealed class PublicLinksValidation(IOptions<SmtpOptions> smtp) : IValidateOptions<NewsletterOptions>
{
    public ValidateOptionsResult Validate(string? name, NewsletterOptions options)
    {
        if (smtp.Value.UsesPickupDirectory
            || !Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url)
            || url.Scheme == Uri.UriSchemeHttps
            || url.IsLoopback)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            "Newsletter:PublicBaseUrl must be https when Smtp:Host is set: mail clients only honour an https one-click unsubscribe");
    }
}
