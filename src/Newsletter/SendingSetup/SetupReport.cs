using System.Text;

namespace Newsletter.SendingSetup;

/// <summary>What DNS answers for a record, against what we would publish.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<RecordState>))]
public enum RecordState
{
    /// <summary>Present and right.</summary>
    Right,

    /// <summary>Present and working, with something to improve (DMARC p=none).</summary>
    Note,

    Missing,

    /// <summary>Present but wrong: a key that is not ours, two SPF records, +all …</summary>
    Wrong,

    /// <summary>Not needed with this relay.</summary>
    NotNeeded,

    /// <summary>DNS could not be asked.</summary>
    Unknown,
}

/// <summary>One record to publish: where, what (the TXT strings as published, each at most 255 bytes), and what DNS has now.</summary>
public sealed record SetupRecord(
    string Purpose,
    string Name,
    string Type,
    IReadOnlyList<string> Publish,
    bool Required,
    RecordState State,
    string Verdict,
    IReadOnlyList<string> Found)
{
    /// <summary>Fails the check (and `doctor`): a required record that is missing, wrong or could not be looked up.</summary>
    public bool Fails => Required && State is RecordState.Missing or RecordState.Wrong or RecordState.Unknown;

    /// <summary>The record as a zone-file line, ready to paste; TXT strings quoted (a long one split into several).</summary>
    public string? ZoneLine => Publish.Count == 0 ? null
        : Type == "TXT" ? $"{Name}. IN TXT {string.Join(' ', Publish.Select(Quoted))}"
        : $"{Name}. IN {Type} {Publish[0]}";

    public static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A TXT value cut into strings of at most 255 bytes (RFC 1035 3.3.14); DNS joins them back.</summary>
    public static IReadOnlyList<string> TxtStrings(string value, int max = 255)
    {
        var parts = new List<string>();
        var start = 0;
        while (start < value.Length)
        {
            var length = 0;
            var bytes = 0;
            while (start + length < value.Length && bytes + Encoding.UTF8.GetByteCount(value, start + length, 1) <= max)
            {
                bytes += Encoding.UTF8.GetByteCount(value, start + length, 1);
                length++;
            }

            parts.Add(value.Substring(start, length));
            start += length;
        }

        return parts;
    }
}

/// <summary>The whole check: the domains, the alignment problems, every record, and a line when DNS could not be reached.</summary>
public sealed record SetupReport(
    string From,
    string FromDomain,
    string Relay,
    string Resolver,
    IReadOnlyList<string> Alignment,
    IReadOnlyList<SetupRecord> Records,
    string? DnsError)
{
    public bool Passes => DnsError is null && !Records.Any(r => r.Fails);

    public int Failing => Records.Count(r => r.Fails);
}
