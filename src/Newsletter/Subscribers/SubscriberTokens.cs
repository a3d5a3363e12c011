using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Newsletter.Subscribers;

/// <summary>
/// The tokens in the links we mail: 32 random bytes, base64url. A confirmation token is stored only
/// as its SHA-256 and found by that hash, so the database alone cannot confirm anybody.
/// </summary>
public static class SubscriberTokens
{
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Anything that cannot be one of our tokens is refused before it reaches the database.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: >= 16 and <= 128 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
