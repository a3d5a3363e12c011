using System.CommandLine;

namespace Newsletter.Delivery;

/// <summary>The Delivery feature's commands.</summary>
public static class DeliveryCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services) => [];
}
