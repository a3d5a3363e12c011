using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Hosting;

/// <summary>A wrong setting stops the start with one line on stderr that names the key.</summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-startup-").FullName;

    [Theory]
    [InlineData("Smtp__Port", "70000", "Smtp:Port")]
    [InlineData("Smtp__Port", "abc", "Smtp:Port")]
    [InlineData("Smtp__Connections", "0", "Smtp:Connections")]
    [InlineData("Smtp__Security", "Sometimes", "Smtp:Security")]
    [InlineData("Digest__Schedule", "every monday", "Digest:Schedule")]
    [InlineData("Digest__TimeZone", "Mars/Olympus_Mons", "Digest:TimeZone")]
    [InlineData("Digest__MaxComparisons", "0", "Digest:MaxComparisons")]
    [InlineData("Newsletter__PublicBaseUrl", "verdicts.example.com", "Newsletter:PublicBaseUrl")]
    [InlineData("Newsletter__From", "not an address", "Newsletter:From")]
    [InlineData("Dkim__Domain", "example.com", "Dkim:Selector")]
    [InlineData("Newsletter__AdminApiKey", "short", "Newsletter:AdminApiKey")]
    [InlineData("Bounces__WebhookKey", "short", "Bounces:WebhookKey")]
    [InlineData("Bounces__WebhookRepeatWindow", "00:00:01", "Bounces:WebhookRepeatWindow")]
    [InlineData("Database__Provider", "Oracle", "Database:Provider")]
    [InlineData("Subscribers__WelcomeMail", "sometimes", "Subscribers:WelcomeMail")]
    public async Task WrongSettingStopsTheStartNamingTheKey(string variable, string value, string key)
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        env[variable] = value;
        env["Urls"] = "http://127.0.0.1:0";

        var result = await CliProcess.RunAsync(["run"], env);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(key, line, StringComparison.Ordinal);
    }

    /// <summary>
    /// PostgreSQL with no connection string: set empty, or left at appsettings.json's SQLite one
    /// (null here), which an operator who only switched the provider would have.
    /// </summary>
    [Theory]
    [InlineData("", "is required")]
    [InlineData(null, "is not a PostgreSQL (Npgsql) connection string")]
    public async Task PostgresWithoutItsConnectionStringStopsTheStartNamingTheKey(string? connectionString, string problem)
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        env["Database__Provider"] = "Postgres";
        env["Urls"] = "http://127.0.0.1:0";
        if (connectionString is null)
        {
            env.Remove("ConnectionStrings__Newsletter");
        }
        else
        {
            env["ConnectionStrings__Newsletter"] = connectionString;
        }

        var result = await CliProcess.RunAsync(["run"], env);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ConnectionStrings:Newsletter " + problem, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpLinksStopTheStartWhenMailReallyGoesOut()
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        env["Smtp__Host"] = "smtp.example.com";
        env["Newsletter__PublicBaseUrl"] = "http://verdicts.example.com";

        var result = await CliProcess.RunAsync(["migrate"], env);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Newsletter:PublicBaseUrl must be https", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DkimKeyThatIsNotAKeyStopsTheStart()
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        var keyFile = Path.Combine(_folder, "dkim.pem");
        await File.WriteAllTextAsync(keyFile, "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n");
        env["Dkim__Domain"] = "verdicts.example.com";
        env["Dkim__Selector"] = "news";
        env["Dkim__PrivateKeyPath"] = keyFile;

        var result = await CliProcess.RunAsync(["migrate"], env);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Dkim:PrivateKeyPath", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandExitsNonZeroWithOneLine()
    {
        var result = await CliProcess.RunAsync(["frobnicate"], CliProcess.IsolatedEnvironment(_folder));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
