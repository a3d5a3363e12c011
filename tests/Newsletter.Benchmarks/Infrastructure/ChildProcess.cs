namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>
/// This program run again as a measured child (`--child NAME ...`): .NET clients get a process of
/// their own, so their CPU and peak RSS exclude the harness, BenchmarkDotNet and the other clients.
/// </summary>
internal static class ChildProcess
{
    public const string Flag = "--child";

    public static Task<ProcessCost> RunAsync(IEnumerable<string> args, TimeSpan timeout) =>
        MeasuredProcess.RunAsync("dotnet", [typeof(ChildProcess).Assembly.Location, Flag, .. args], timeout);
}
