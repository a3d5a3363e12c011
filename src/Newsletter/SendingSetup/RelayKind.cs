namespace Newsletter.SendingSetup;

/// <summary>
/// Who carries our mail to the receivers. Our own MTA keeps our envelope sender (Bounces:ReturnPath),
/// so SPF and the bounce MX are ours to publish. The providers rewrite the envelope sender to a
/// domain of theirs (SPF then passes for them, not aligned with us unless a custom MAIL FROM domain
/// is set up with them), and take bounces themselves: our SPF and MX are no longer required there.
/// </summary>
public enum RelayKind
{
    OwnServer,
    AmazonSes,
    Postmark,
    Mailgun,
    SendGrid,
}
