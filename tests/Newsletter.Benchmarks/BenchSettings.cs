namespace Newsletter.Benchmarks;

/// <summary>One run's choices, from the command line.</summary>
internal sealed record BenchSettings(IReadOnlyList<int> Subscribers, int Connections, int Mails, int Repeats, string? Only, int LoadSeconds, int MakeSubscribers = 1_000_000, int MakeHistory = 0)
{
    public bool Runs(string part) => Only is null || Only == part;
}
