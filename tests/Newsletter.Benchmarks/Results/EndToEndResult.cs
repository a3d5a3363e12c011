namespace Newsletter.Benchmarks.Results;

/// <summary>Our own send of one issue to N subscribers, or why it was not measured.</summary>
internal sealed record EndToEndResult(int Subscribers, Measurement Send, double? MakeIssueSeconds, double SeedSeconds, string? Deliveries = null)
{
    public string Name => $"ours, N={Subscribers:N0}";
}
