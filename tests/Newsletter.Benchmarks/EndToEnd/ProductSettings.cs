using Newsletter.Benchmarks.Infrastructure;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>Where the product under test keeps its data and sends its mail in the end-to-end run.</summary>
internal sealed record ProductSettings(string DatabasePath, string SmtpHost, int SmtpPort, int Connections)
{
    /// <summary>The product's own configuration keys (DESIGN.md), as a host would read them.</summary>
    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Newsletter"] = $"Data Source={DatabasePath}",
        ["Smtp:Host"] = SmtpHost,
        ["Smtp:Port"] = $"{SmtpPort}",
        ["Smtp:Security"] = "None",
        ["Smtp:Connections"] = $"{Connections}",
        ["Smtp:MaxMessagesPerSecond"] = "0",
        ["Digest:SendWhenEmpty"] = "true",
        ["Newsletter:PublicBaseUrl"] = "https://verdicts.example.com",
        ["Newsletter:From"] = SampleMessage.ProductFrom,
    };
}
