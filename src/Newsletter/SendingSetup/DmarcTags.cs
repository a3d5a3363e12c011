namespace Newsletter.SendingSetup;

/// <summary>The tag=value lists of DKIM key records and DMARC records (RFC 6376 3.2, RFC 7489 6.4).</summary>
public static class DmarcTags
{
    public static IReadOnlyDictionary<string, string> Parse(string record)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in record.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                tags.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim());
            }
        }

        return tags;
    }

    /// <summary>The addresses of rua=mailto:a@b[!size],… .</summary>
    public static IEnumerable<string> Rua(IReadOnlyDictionary<string, string> tags) =>
        (tags.GetValueOrDefault("rua") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(u => u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            .Select(u => Uri.UnescapeDataString(u["mailto:".Length..].Split('!')[0]));

    public static IEnumerable<string> RuaDomains(string record) =>
        Rua(Parse(record)).Where(a => a.Contains('@', StringComparison.Ordinal)).Select(a => a[(a.LastIndexOf('@') + 1)..].ToLowerInvariant());
}
