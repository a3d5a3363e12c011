using System.Security.Cryptography;
using System.Text;

namespace Newsletter.Links;

/// <summary>
/// The keys the reader links are made with, each derived (HKDF) from the stored secret for one
/// purpose only, so a vote MAC can never pass as a click MAC or the other way round.
/// </summary>
public sealed class LinkSecrets
{
    public LinkSecrets(byte[] secret)
    {
        VoteKey = Derive(secret, "newsletter vote link v1");
        ClickKey = Derive(secret, "newsletter click link v1");
        Reader = new ReaderSeal(Derive(secret, "newsletter reader seal v1"));
    }

    public byte[] VoteKey { get; }

    public byte[] ClickKey { get; }

    public ReaderSeal Reader { get; }

    /// <summary>The first <paramref name="length"/> bytes of HMAC-SHA256 under <paramref name="key"/>, base64url.</summary>
    public static string Mac(byte[] key, ReadOnlySpan<byte> data, int length)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, data, mac);
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(mac[..length].ToArray());
    }

    /// <summary>Constant-time comparison of a presented MAC with the right one.</summary>
    public static bool MacMatches(byte[] key, ReadOnlySpan<byte> data, int length, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, data, length)), Encoding.ASCII.GetBytes(presented));

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.ASCII.GetBytes(purpose));
}
