using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Web;

/// <summary>
/// The one rule for the admin key: whether one is set, whether a presented key is it (in constant
/// time), and how many wrong keys an address has sent this minute.
/// </summary>
public sealed class AdminKey(IOptionsMonitor<NewsletterOptions> options)
{
    public bool IsConfigured => !string.IsNullOrEmpty(options.CurrentValue.AdminApiKey);

    /// <summary>Constant-time: hashing first makes the comparison independent of the key's length too.</summary>
    public bool IsValid(string? presented) =>
        IsConfigured && !string.IsNullOrEmpty(presented) &&
        CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(options.CurrentValue.AdminApiKey!));

    /// <summary>
    /// What a session remembers of the key it was opened with: an HMAC under the key, not the key, so
    /// the cookie never holds the secret and a new key signs every editor out.
    /// </summary>
    public string Fingerprint() => Convert.ToHexString(HMACSHA256.HashData(
        Encoding.UTF8.GetBytes(options.CurrentValue.AdminApiKey ?? ""), "newsletter-editor-session"u8));

    public bool MatchesFingerprint(string? fingerprint) =>
        IsConfigured && fingerprint is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(fingerprint), Encoding.ASCII.GetBytes(Fingerprint()));

    /// <summary>
    /// Only wrong keys count (never a request without a key, so a stray tab or an uptime check
    /// locks nobody out), and a right key always passes: the lockout slows a guesser, whom the
    /// 16+ character key already defeats, and never stands between an editor and the console.
    /// </summary>
    private readonly PartitionedRateLimiter<string> _wrongKeys = PartitionedRateLimiter.Create<string, string>(
        address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Editors.WrongKeysPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Counts a wrong key; false once the address is over its limit (answer 429).</summary>
    public bool RecordWrongKey(HttpContext http)
    {
        using var lease = _wrongKeys.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "local");
        if (!lease.IsAcquired)
        {
            http.Features.Set(new LockedOut());
        }

        return lease.IsAcquired;
    }

    public static bool IsLockedOut(HttpContext http) => http.Features.Get<LockedOut>() is not null;

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private sealed class LockedOut;
}
