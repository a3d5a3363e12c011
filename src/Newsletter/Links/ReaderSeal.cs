using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Newsletter.Links;

/// <summary>
/// The reader's part of a vote or click link: the reader's unsubscribe token sealed with AES-GCM
/// (random nonce, so every mail's part differs). Only this server can open it; a changed character
/// fails the tag. It names the reader without a lookup table and without putting the unsubscribe
/// token itself in a link that must not unsubscribe. One seal per mail, spliced into every link.
/// </summary>
public sealed class ReaderSeal(byte[] key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "reader"u8.ToArray();

    public string Seal(string unsubscribeToken)
    {
        var plain = Encoding.UTF8.GetBytes(unsubscribeToken);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Purpose);
        return WebEncoders.Base64UrlEncode(sealedBytes);
    }

    /// <summary>The unsubscribe token inside, or null when the part is not one this server sealed.</summary>
    public string? Open(string? part)
    {
        if (part is null || part.Length is < 40 or > 400 || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(part);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length <= NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[bytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, plain.Length), bytes.AsSpan(NonceSize + plain.Length), plain, Purpose);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }
}
