namespace Newsletter.Benchmarks.Results;

/// <summary>One micro-benchmark: a mean in microseconds, or a load figure in <see cref="Detail"/>.</summary>
internal sealed record MicroResult(string Name, double? MeanMicroseconds, string Detail);
