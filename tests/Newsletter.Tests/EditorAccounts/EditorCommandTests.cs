using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorAccounts;

/// <summary>`editors add|remove|list` as an operator types them, on a database of their own.</summary>
public sealed class EditorCommandTests
{
    [Fact]
    public async Task AddListRemove()
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-editors-").FullName;
        try
        {
            var env = CliProcess.IsolatedEnvironment(folder);
            env["Newsletter__Editors__0"] = "Seeded One <seeded@example.com>";

            var list = await CliProcess.RunAsync(["editors", "list"], env);
            Assert.Equal(0, list.ExitCode);
            Assert.Equal("seeded@example.com\tSeeded One", list.Stdout.Trim());

            var add = await CliProcess.RunAsync(["editors", "add", "New@Example.com", "--name", "New Editor"], env);
            Assert.True(add.ExitCode == 0, add.Stderr);
            Assert.Contains("Added editor new@example.com", add.Stdout, StringComparison.Ordinal);

            var bad = await CliProcess.RunAsync(["editors", "add", "not-an-address"], env);
            Assert.Equal(1, bad.ExitCode);
            Assert.StartsWith("newsletter: 'not-an-address' is not a mail address", bad.Stderr, StringComparison.Ordinal);

            var remove = await CliProcess.RunAsync(["editors", "remove", "seeded@example.com"], env);
            Assert.True(remove.ExitCode == 0, remove.Stderr);
            var missing = await CliProcess.RunAsync(["editors", "remove", "seeded@example.com"], env);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("is not an editor", missing.Stderr, StringComparison.Ordinal);

            // The seed is for the first start only: the removed editor does not come back.
            list = await CliProcess.RunAsync(["editors", "list"], env);
            Assert.Equal("new@example.com\tNew Editor", list.Stdout.Trim());

            // The audit log names the command line for what a command changed.
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "newsletter.db")};Pooling=False");
            await db.OpenAsync();
            await using var query = db.CreateCommand();
            query.CommandText = "SELECT Actor, Action, Detail FROM AuditEntries ORDER BY Id";
            var entries = new List<string>();
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    entries.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{reader.GetString(2)}");
                }
            }

            Assert.Equal(["command line|Added an editor|new@example.com", "command line|Removed an editor|seeded@example.com"], entries);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
