using System.CommandLine;

namespace Newsletter.Digests;

/// <summary>The Digests feature's commands.</summary>
public static class DigestCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services) => [];
}
