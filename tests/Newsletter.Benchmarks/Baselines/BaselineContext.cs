using Newsletter.Benchmarks.Infrastructure;

namespace Newsletter.Benchmarks.Baselines;

/// <summary>What every baseline shares in one run: the same sink, the same message, the same load.</summary>
internal sealed record BaselineContext(string Host, int Port, int Connections, int Mails, SampleMessage Sample)
{
    /// <summary>A client that takes longer than this has failed; the default run is far shorter.</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(120, Mails / 50.0));
}
