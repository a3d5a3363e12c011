using System.ComponentModel.DataAnnotations;

namespace Newsletter.Votes;

/// <summary>The "Votes" section.</summary>
public sealed class VotesOptions
{
    public const string Section = "Votes";

    /// <summary>Readers' votes a tool needs before their split replaces the document's community figure.</summary>
    [Range(1, 1_000_000)]
    public int MinimumToShow { get; set; } = 5;

    /// <summary>POST /vote requests one IP may make per minute; more get 429 (a reader votes on a few tools at a time).</summary>
    [Range(1, 100_000)]
    public int VotesPerMinutePerIp { get; set; } = 30;
}
