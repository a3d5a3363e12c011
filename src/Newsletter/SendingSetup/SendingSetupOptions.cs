namespace Newsletter.SendingSetup;

/// <summary>The "SendingSetup" section.</summary>
public sealed class SendingSetupOptions
{
    public const string Section = "SendingSetup";

    /// <summary>OwnServer (Smtp:Host is our MTA) or the provider behind Smtp:Host.</summary>
    public RelayKind Relay { get; set; } = RelayKind.OwnServer;

    public bool RewritesEnvelopeSender => Relay != RelayKind.OwnServer;

    /// <summary>The SPF mechanism the provider documents for its sending servers.</summary>
    public string? ProviderSpfInclude => Relay switch
    {
        RelayKind.AmazonSes => "include:amazonses.com",
        RelayKind.Postmark => "include:spf.mtasv.net",
        RelayKind.Mailgun => "include:mailgun.org",
        RelayKind.SendGrid => "include:sendgrid.net",
        _ => null,
    };

    public string RelayName => Relay switch
    {
        RelayKind.AmazonSes => "Amazon SES",
        RelayKind.Postmark => "Postmark",
        RelayKind.Mailgun => "Mailgun",
        RelayKind.SendGrid => "SendGrid",
        _ => "your own mail server",
    };
}
