using Microsoft.Data.Sqlite;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// Readers who chose (issue 23), seeded as the preference form stores them: four topics, one
/// comparison each, and eight distinct selections of two or three topics, so each chooser's mail
/// carries two or three comparisons (a default reader's carries all four).
/// </summary>
internal static class SelectiveReaders
{
    public static readonly IReadOnlyList<string> Topics = ["Topic A", "Topic B", "Topic C", "Topic D"];

    /// <summary>The selections, as topic keys (lowercase, as TopicKeys makes them).</summary>
    public static readonly IReadOnlyList<string[]> Selections =
    [
        ["topic a", "topic b"], ["topic a", "topic c"], ["topic a", "topic d"], ["topic b", "topic c"],
        ["topic b", "topic d"], ["topic c", "topic d"], ["topic a", "topic b", "topic c"], ["topic b", "topic c", "topic d"],
    ];

    /// <summary>Every <paramref name="every"/>th reader chooses weekly and one selection, in turn: set-based, a million rows in seconds.</summary>
    public static async Task ChooseAsync(string connectionString, int every, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO ReaderPreferences (SubscriberId, Frequency, UpdatedAt) SELECT Id, 'Weekly', $now FROM Subscribers WHERE Id % $every = 0";
            command.Parameters.AddWithValue("$every", every);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var k = 0; k < Selections.Count; k++)
        {
            foreach (var topic in Selections[k])
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO ReaderTopics (SubscriberId, Topic) SELECT Id, $topic FROM Subscribers WHERE Id % $every = 0 AND (Id / $every) % $count = $k";
                command.Parameters.AddWithValue("$topic", topic);
                command.Parameters.AddWithValue("$every", every);
                command.Parameters.AddWithValue("$count", Selections.Count);
                command.Parameters.AddWithValue("$k", k);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
