using System.ComponentModel.DataAnnotations;

namespace Newsletter.Subscribers;

/// <summary>The "Subscribers" section: the limits that keep the public form from being abused.</summary>
public sealed class SubscribersOptions
{
    public const string Section = "Subscribers";

    /// <summary>POST /subscribe attempts one IP may make per minute; more get 429.</summary>
    [Range(1, 100_000)]
    public int SignupsPerMinutePerIp { get; set; } = 5;

    /// <summary>An address gets at most one confirmation mail in this many minutes.</summary>
    [Range(0, 10_080)]
    public int ConfirmationResendMinutes { get; set; } = 5;

    /// <summary>
    /// The wait before a failed confirmation mail is tried again; it doubles with each try, to at
    /// most an hour.
    /// </summary>
    [Range(1, 3600)]
    public int ConfirmationRetrySeconds { get; set; } = 30;

    /// <summary>How long a confirmation link works.</summary>
    [Range(1, 720)]
    public int ConfirmationTokenHours { get; set; } = 48;

    /// <summary>
    /// A reader who confirms gets a welcome mail (templates/welcome.html and .txt): the latest
    /// issue's comparisons, their preference and unsubscribe links. False sends none.
    /// </summary>
    public bool WelcomeMail { get; set; } = true;
}
