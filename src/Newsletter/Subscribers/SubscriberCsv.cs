using System.Globalization;
using System.Text;
using CsvHelper;

namespace Newsletter.Subscribers;

/// <summary>One valid row of an import: the address, the name, and the status when the row gives one.</summary>
public sealed record ImportRow(int Line, EmailAddress Email, string? Name, SubscriberStatus? Status);

/// <summary>A row that was not imported, by its line in the file (1 is the first line).</summary>
public sealed record InvalidRow(int Line, string Reason);

public sealed record ParsedImport(IReadOnlyList<ImportRow> Rows, IReadOnlyList<InvalidRow> Invalid);

/// <summary>The request cannot be read as a subscriber CSV at all; nothing is imported.</summary>
public sealed class SubscriberCsvException(string message) : Exception(message);

/// <summary>
/// The subscriber CSV, both ways (RFC 4180, UTF-8). Import: `email,name[,status]`, with or without
/// a header line; with one, the columns may come in any order and other columns are ignored (so an
/// export imports back). Export: a header, then one line per subscriber; a cell that a spreadsheet
/// would run as a formula (starting with = + - @ tab or CR) gets a leading apostrophe.
/// </summary>
public static class SubscriberCsv
{
    public static readonly string[] ExportHeader =
        ["email", "name", "status", "created_at", "consent_at", "consent_ip", "consent_source", "confirmed_at", "unsubscribed_at", "bounced_at"];

    private const string FormulaStarts = "=+-@\t\r";

    /// <summary>Writing: RFC 4180, and a cell a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    public static CsvWriterOptions WriterOptions { get; } = new() { Separator = ',', Injection = CsvInjection.Escape };

    /// <summary>
    /// Reads and checks every row. A row with broken quoting, a bad address or status, or the same
    /// address as an earlier row is reported with its line and left out.
    /// </summary>
    public static async Task<ParsedImport> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        using var text = await Utf8TextAsync(input, cancellationToken);
        var rows = new List<ImportRow>();
        var invalid = new List<InvalidRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = r => invalid.Add(new InvalidRow((int)r.LineNumber, Malformed(r.Reason))),
            IncludeValuesInExceptions = false,
        };
        await using var reader = CsvReader.Create(text, options, leaveOpen: true);

        (int Email, int Name, int Status)? columns = null;
        var any = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i) ?? "";
            }

            var line = (int)reader.LineNumber;
            if (!any)
            {
                any = true;
                var header = fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
                if (header.Contains("email"))
                {
                    columns = (header.IndexOf("email"), header.IndexOf("name"), header.IndexOf("status"));
                    continue;
                }
            }

            var row = ReadRow(line, fields, columns, out var reason);
            if (row is null)
            {
                invalid.Add(new InvalidRow(line, reason!));
            }
            else if (seen.TryGetValue(row.Email.Key, out var first))
            {
                invalid.Add(new InvalidRow(line, $"the same address as line {first}"));
            }
            else
            {
                seen[row.Email.Key] = line;
                rows.Add(row);
            }
        }

        if (!any && invalid.Count == 0)
        {
            throw new SubscriberCsvException("The CSV is empty: send lines of email,name[,status].");
        }

        return new ParsedImport(rows, [.. invalid.OrderBy(i => i.Line)]);
    }

    /// <summary>
    /// The input, checked to be UTF-8 before anything is read from it. A file saved in another
    /// encoding (Latin-1, Windows-1252) would otherwise import "Jörg" as "J\uFFFDrg" without a word;
    /// it is refused with the line of the first byte that is not UTF-8, and nothing is imported.
    /// </summary>
    private static async Task<MemoryStream> Utf8TextAsync(Stream input, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        try
        {
            StrictUtf8.GetCharCount(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var at = Math.Clamp(e.Index, 0, bytes.Length - 1);
            var line = bytes[..at].Count((byte)'\n') + 1;
            var value = bytes[at];
            buffer.Dispose();
            throw new SubscriberCsvException(
                $"Line {line} is not UTF-8 text (byte 0x{value:X2}): save the file as UTF-8 (CSV UTF-8 in a spreadsheet) and import it again. Nothing was imported.");
        }

        buffer.Position = 0;
        return buffer;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The export's columns for one subscriber, in the order of <see cref="ExportHeader"/>.</summary>
    public static string[] Fields(Subscriber s) =>
    [
        s.Email, s.Name ?? "", StatusName(s.Status), Time(s.CreatedAt), Time(s.ConsentAt), s.ConsentIp ?? "", s.ConsentSource ?? "",
        Time(s.ConfirmedAt), Time(s.UnsubscribedAt), Time(s.BouncedAt),
    ];

    /// <summary>The inverse of the export's formula escape on import, so that an export imports back as it was.</summary>
    public static string Restore(string value) =>
        value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1], StringComparison.Ordinal) ? value[1..] : value;

    public static string StatusName(SubscriberStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseStatus(string? text, out SubscriberStatus status) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    private static ImportRow? ReadRow(int line, string[] fields, (int Email, int Name, int Status)? columns, out string? reason)
    {
        reason = null;
        if (columns is null && fields.Length > 3)
        {
            reason = $"{fields.Length} columns; expected email,name[,status] (or a header line naming the columns)";
            return null;
        }

        var (emailAt, nameAt, statusAt) = columns ?? (0, 1, 2);
        string? Field(int index) => index >= 0 && index < fields.Length ? Restore(fields[index]) : null;

        if (!EmailAddress.TryParse(Field(emailAt), out var email, out var error))
        {
            reason = error;
            return null;
        }

        var name = Signup.CleanName(Field(nameAt));
        if (name?.Length > Signup.MaxNameLength)
        {
            reason = $"the name is longer than {Signup.MaxNameLength} characters";
            return null;
        }

        SubscriberStatus? status = null;
        var statusText = Field(statusAt);
        if (!string.IsNullOrWhiteSpace(statusText))
        {
            if (!TryParseStatus(statusText, out var parsed))
            {
                reason = $"unknown status \u201c{statusText}\u201d; use confirmed, pending, unsubscribed, bounced or complained";
                return null;
            }

            status = parsed;
        }

        return new ImportRow(line, email, name, status);
    }

    private static string Malformed(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "malformed CSV: a quoted field is never closed",
        CsvMalformedReason.FieldCountMismatch => "malformed CSV: a different number of columns",
        _ => "malformed CSV: a stray quote (a field with a quote in it must be enclosed in quotes, the quote doubled)",
    };

    private static string Time(DateTimeOffset? time) => time is null ? "" : time.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
