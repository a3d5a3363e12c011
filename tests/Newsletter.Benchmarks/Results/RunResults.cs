using Newsletter.Benchmarks.Infrastructure;

namespace Newsletter.Benchmarks.Results;

/// <summary>Everything one run measured; the table and the goals are printed from it.</summary>
internal sealed class RunResults
{
    public List<Measurement> Baselines { get; } = [];

    public List<EndToEndResult> Ours { get; } = [];

    public List<MicroResult> Micro { get; } = [];

    /// <summary>The product as shipped (issue 14): N, signed or not, the send.</summary>
    public List<(int Subscribers, bool Signed, Measurement Send)> Shipped { get; } = [];

    /// <summary>Ours on PostgreSQL: one instance, then two sharing the send.</summary>
    public List<Measurement> Cluster { get; } = [];

    /// <summary>Issue 23: the shipped send to a list of eight distinct selections.</summary>
    public List<Measurement> Selections { get; } = [];

    /// <summary>Issue 23: the issue made for a list where some readers chose.</summary>
    public List<EndToEnd.SelectiveMake.Result> SelectiveMakes { get; } = [];

    public SampleMessage? Sample { get; set; }

    /// <summary>The figure the ratios compare with: our first measured send (the default N).</summary>
    public Measurement? OursForRatio => Ours.Select(o => o.Send).FirstOrDefault(s => s.Measured);

    public Measurement? Baseline(string name) => Baselines.FirstOrDefault(b => b.Name == name && b.Measured);
}
