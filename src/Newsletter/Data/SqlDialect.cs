using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Newsletter.Data;

/// <summary>
/// The few places where hand-written SQL differs between SQLite and PostgreSQL, in one file. Table
/// and column names need nothing: the PostgreSQL model uses the lower-case names that PostgreSQL
/// folds unquoted names to (see <see cref="PostgresNewsletterDbContext"/>).
/// </summary>
public static class SqlDialect
{
    public static bool IsPostgres(this DatabaseFacade database) => database.IsNpgsql();

    /// <summary>A sub-select that yields the numbers of a JSON array parameter as a column named value.</summary>
    public static string IdsFromJson(this DatabaseFacade database, string parameter) => database.IsNpgsql()
        ? $"SELECT value::bigint FROM json_array_elements_text({parameter}::json)"
        : $"SELECT value FROM json_each({parameter})";

    /// <summary>
    /// <paramref name="column"/> is one of a list of ids passed as one parameter (its value from
    /// <see cref="IdList(bool, IReadOnlyCollection{long})"/>): an array on PostgreSQL, a JSON array on SQLite.
    /// </summary>
    public static string IdIn(bool postgres, string column, string parameter) => postgres
        ? $"{column} = ANY({parameter})"
        : $"{column} IN (SELECT value FROM json_each({parameter}))";

    /// <inheritdoc cref="IdIn(bool, string, string)"/>
    public static string IdIn(this DatabaseFacade database, string column, string parameter) => IdIn(database.IsNpgsql(), column, parameter);

    /// <summary>The value of the parameter <see cref="IdIn(bool, string, string)"/> names.</summary>
    public static object IdList(bool postgres, IReadOnlyCollection<long> ids) => postgres
        ? ids.ToArray()
        : System.Text.Json.JsonSerializer.Serialize(ids);

    /// <inheritdoc cref="IdList(bool, IReadOnlyCollection{long})"/>
    public static object IdList(this DatabaseFacade database, IReadOnlyCollection<long> ids) => IdList(database.IsNpgsql(), ids);

    /// <summary>
    /// A column that SQLite's planner must not pick an index for (the unary +); PostgreSQL's planner
    /// weighs its indexes by their statistics and takes no hint.
    /// </summary>
    public static string NotIndexed(this DatabaseFacade database, string column) => database.IsNpgsql() ? column : "+" + column;

    /// <summary>A condition true when a text column holds a character outside ASCII (more bytes than characters).</summary>
    public static string HasNonAscii(this DatabaseFacade database, string column) => database.IsNpgsql()
        ? $"octet_length({column}) <> char_length({column})"
        : $"length(CAST({column} AS BLOB)) <> length({column})";

    /// <summary>
    /// Inside a transaction: waits until no other transaction holds the same named lock, and holds
    /// it to the end of this one, so writers that read before they write take turns. SQLite's
    /// transactions already take turns (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped
    /// advisory lock.
    /// </summary>
    public static Task TakeTurnAsync(this DatabaseFacade database, string name, CancellationToken cancellationToken) => database.IsNpgsql()
        ? database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext({0}))", [name], cancellationToken)
        : Task.CompletedTask;

    /// <summary>A unique index or key refused the write (a racer inserted the same key first).</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
