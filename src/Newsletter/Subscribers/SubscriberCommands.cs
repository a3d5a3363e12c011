using System.CommandLine;

namespace Newsletter.Subscribers;

/// <summary>The Subscribers feature's commands.</summary>
public static class SubscriberCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services) => [];
}
