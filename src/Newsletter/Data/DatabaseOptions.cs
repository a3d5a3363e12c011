namespace Newsletter.Data;

/// <summary>Which engine holds the data: SQLite in one file (one machine), or PostgreSQL (any number of instances).</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The Database section. Read once, when the services are added: the provider decides which
/// DbContext, which migrations and which Quartz store are registered, so it cannot wait for the
/// container. It comes from appsettings, the environment (Database__Provider) or the command line.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>The provider the configuration names; a wrong value stops the start naming the key.</summary>
    public static DatabaseOptions Read(IConfiguration? configuration)
    {
        var value = configuration?[$"{Section}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new DatabaseOptions();
        }

        return Enum.TryParse<DatabaseProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? new DatabaseOptions { Provider = provider }
            : throw new InvalidOperationException($"configuration error: {Section}:{nameof(Provider)} must be Sqlite or Postgres (was \"{value}\")");
    }

    /// <summary>
    /// The configuration the host registered. WebApplicationBuilder registers its ConfigurationManager
    /// as a factory that ignores the container (<c>_ =&gt; Configuration</c>), so it can be asked now.
    /// A composition root that has the IConfiguration at hand should pass it to <see cref="Read(IConfiguration?)"/>.
    /// </summary>
    public static DatabaseOptions Read(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IConfiguration) && !d.IsKeyedService);
        return Read(registered?.ImplementationInstance as IConfiguration
            ?? registered?.ImplementationFactory?.Invoke(NoServices.Instance) as IConfiguration);
    }

    private sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
