using MimeKit;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Digests;

/// <summary>The real executable: `preview`, and a broken digest template stopping the start.</summary>
public class DigestCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-digest-cli-").FullName;
    private TestDatabase? _database;

    /// <summary>The database the commands of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private TestDatabase Database => _database ??= new TestDatabase(Provider, _folder);

    [Fact]
    public async Task PreviewCommandSendsToTheGivenAddressesAndSaysWhere()
    {
        var env = Database.Environment();
        Assert.Equal(0, (await CliProcess.RunAsync(["import", SampleComparisons.Path1], env)).ExitCode);

        var result = await CliProcess.RunAsync(["preview", "--to", "one@example.com", "two@example.com"], env);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Sent preview of #1 to one@example.com (written to " + Path.Combine(_folder, "outbox") + ")", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Sent preview of #1 to two@example.com", result.Stdout, StringComparison.Ordinal);
        var mails = Directory.GetFiles(Path.Combine(_folder, "outbox"), "*.eml").Select(f => MimeMessage.Load(f)).ToList();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal("[Preview] AI Tool Verdicts #1: Mistral 4B Edge vs Modal GPU Serverless Inference", m.Subject));
    }

    [Fact]
    public async Task PreviewCommandWithNobodyToSendToFailsWithOneLine()
    {
        var result = await CliProcess.RunAsync(["preview"], Database.Environment());

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("there are no editors", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "outbox")));
    }

    [Fact]
    public async Task BrokenDigestTemplateStopsTheStartNamingFileLineAndColumn()
    {
        var templates = Path.Combine(_folder, "templates");
        foreach (var file in Directory.GetFiles(Path.Combine(NewsletterApp.RepositoryRoot, "templates"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(templates, Path.GetRelativePath(Path.Combine(NewsletterApp.RepositoryRoot, "templates"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var partial = Path.Combine(templates, "partials", "comparison.html");
        var lines = File.ReadAllLines(partial).ToList();
        lines.Insert(2, "      {{ for tool in comparison.tools }} never closed");
        File.WriteAllLines(partial, lines);
        var env = Database.Environment();
        env["Templates__Path"] = templates;

        var result = await CliProcess.RunAsync(["migrate"], env);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Path.Combine("partials", "comparison.html") + "(", line, StringComparison.Ordinal);
        Assert.Matches(@"comparison\.html\(\d+,\d+\)", line);
    }

    public void Dispose()
    {
        _database?.Dispose();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The same commands on a PostgreSQL database.</summary>
public sealed class DigestCommandOnPostgresTests : DigestCommandTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
