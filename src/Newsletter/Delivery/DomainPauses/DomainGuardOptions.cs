using System.ComponentModel.DataAnnotations;

namespace Newsletter.Delivery;

/// <summary>
/// The "Bounces:DomainGuard" section: when one recipient domain's complaints or sender problems put the
/// sender's reputation at risk, mail to that domain waits (<see cref="DomainGuard"/>).
/// </summary>
public sealed class DomainGuardOptions
{
    public const string Section = "Bounces:DomainGuard";

    /// <summary>Off: nothing pauses (the figures are still shown).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Complaints per mail delivered to the domain in one issue above which it pauses: Gmail's and Yahoo's published limit, 0.3%.</summary>
    [Range(0.0001, 1.0, ErrorMessage = "must be a share between {1} and {2} (0.003 is 0.3%)")]
    public double ComplaintRate { get; set; } = 0.003;

    /// <summary>Fewer complaints than this never trip the guard (1 of 20 is noise, not a trend).</summary>
    [Range(1, 100000, ErrorMessage = "must be between {1} and {2}")]
    public int MinimumComplaints { get; set; } = 3;

    /// <summary>Sender problems (blocked, content, policy, rate) per mail sent to the domain in one issue above which it pauses.</summary>
    [Range(0.001, 1.0, ErrorMessage = "must be a share between {1} and {2} (0.1 is 10%)")]
    public double SenderProblemShare { get; set; } = 0.1;

    /// <summary>Fewer sender problems than this never trip the guard.</summary>
    [Range(1, 100000, ErrorMessage = "must be between {1} and {2}")]
    public int MinimumSenderProblems { get; set; } = 5;
}
