using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsletter.Data;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// The whole product in-process, on its own SQLite file (or, with <see cref="DatabaseProvider.Postgres"/>,
/// its own database on the run's <see cref="PostgresServer"/>) and outbox in a temp folder, with the
/// repository's templates. Settings can be overridden per instance (an SMTP sink, a schedule …).
/// </summary>
public class NewsletterApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-7f3a9c2e";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;
    private bool _kestrel;

    public NewsletterApp(IDictionary<string, string?>? settings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Folder = Directory.CreateTempSubdirectory("newsletter-app-").FullName;
        Provider = provider;
        // A connection string in the settings is an existing database the test owns; else a new one.
        _ownsDatabase = settings?.ContainsKey("ConnectionStrings:Newsletter") != true;
        ConnectionString = !_ownsDatabase ? settings!["ConnectionStrings:Newsletter"]!
            : provider == DatabaseProvider.Postgres ? PostgresServer.Shared.CreateDatabase()
            : $"Data Source={Path.Combine(Folder, "newsletter.db")}";
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Newsletter"] = ConnectionString,
            ["Database:Provider"] = provider.ToString(),
            ["Newsletter:AdminApiKey"] = AdminKey,
            ["Newsletter:PublicBaseUrl"] = "https://verdicts.example.com",
            ["Newsletter:From"] = "AI Tool Verdicts <digest@verdicts.example.com>",
            ["Smtp:PickupDirectory"] = Path.Combine(Folder, "outbox"),
            ["Templates:Path"] = Path.Combine(RepositoryRoot, "templates"),
            ["Digest:Schedule"] = "0 0 9 ? * MON",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>The checkout: the folder above the test binary that holds Newsletter.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The temp folder that holds this app's database and outbox.</summary>
    public string Folder { get; }

    public DatabaseProvider Provider { get; }

    /// <summary>This app's database (a settings override of ConnectionStrings:Newsletter wins).</summary>
    public string ConnectionString { get; }

    public string Outbox => Path.Combine(Folder, "outbox");

    /// <summary>What this app logged (Information and up; Debug where its settings ask), for tests that wait for a reported event.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>
    /// Starts the app on a real Kestrel port (for a browser) and returns its address.
    /// </summary>
    public Uri StartKestrel()
    {
        if (!_kestrel)
        {
            _kestrel = true;
            UseKestrel(0);
            StartServer();
        }

        return ClientOptions.BaseAddress;
    }

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>A scope to reach the services and the database directly.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<T> WithDbAsync<T>(Func<NewsletterDbContext, Task<T>> action)
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<NewsletterDbContext>());
    }

    /// <summary>
    /// The provider is read while the services are added, before WebApplicationFactory applies
    /// ConfigureAppConfiguration (dotnet/aspnetcore#37680); host configuration is there in time.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Database:Provider"] = _settings["Database:Provider"] }));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseContentRoot(RepositoryRoot);
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Provider == DatabaseProvider.Postgres && _ownsDatabase)
            {
                PostgresServer.Shared.DropDatabase(ConnectionString);
            }

            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Newsletter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Newsletter.sln not found above " + AppContext.BaseDirectory);
    }
}
