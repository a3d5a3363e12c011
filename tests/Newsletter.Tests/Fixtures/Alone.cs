namespace Newsletter.Tests.Fixtures;

/// <summary>Test classes that measure time: xunit runs this collection by itself, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "Alone";
}
