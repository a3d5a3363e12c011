using System.Security.Cryptography;

namespace Newsletter.Mail;

/// <summary>What a VERP token may be used for: the signature covers it, so one cannot pass for the other.</summary>
public enum VerpPurpose : byte
{
    /// <summary>Rides in the envelope sender and the X-Newsletter-Token header: whose bounce or report this is.</summary>
    Bounce = (byte)'b',

    /// <summary>Rides in the List-Unsubscribe mailto: a mail to it unsubscribes the reader.</summary>
    Unsubscribe = (byte)'u',
}

/// <summary>One delivery: the issue (by number) and the reader (by subscriber id).</summary>
public readonly record struct VerpRecipient(int IssueNumber, long SubscriberId);

/// <summary>
/// The signed token of a delivery, short enough for a mail address's local part: the issue number
/// and subscriber id as two 32-/64-bit varints, then the first 10 bytes (80 bits) of an HMAC-SHA256
/// over the purpose and those bytes, in lowercase base32 (about 24 characters). Lowercase base32
/// because mail systems may change the case of a local part. The ids are not secret (they are
/// opaque, not hidden); the MAC is what makes a forged bounce unable to name a reader.
/// </summary>
public sealed class VerpToken
{
    private const int MacBytes = 10;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly byte[] _key;

    public VerpToken(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("A VERP signing key needs at least 16 bytes.", nameof(key));
        }

        _key = (byte[])key.Clone();
    }

    public string Create(VerpPurpose purpose, VerpRecipient recipient)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recipient.IssueNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(recipient.SubscriberId);
        Span<byte> buffer = stackalloc byte[20 + MacBytes];
        var length = WriteVarint(buffer, (ulong)recipient.IssueNumber);
        length += WriteVarint(buffer[length..], (ulong)recipient.SubscriberId);
        Mac(purpose, buffer[..length], buffer.Slice(length, MacBytes));
        return Base32(buffer[..(length + MacBytes)]);
    }

    /// <summary>True only for a token this key made for this purpose; anything else (tampered, truncated, other case of garbage) is false.</summary>
    public bool TryVerify(VerpPurpose purpose, string? token, out VerpRecipient recipient)
    {
        recipient = default;
        if (token is null || token.Length is < 16 or > 64 || !TryFromBase32(token, out var bytes) || bytes.Length <= MacBytes)
        {
            return false;
        }

        var payload = bytes.AsSpan(0, bytes.Length - MacBytes);
        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(purpose, payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(bytes.Length - MacBytes)))
        {
            return false;
        }

        if (!TryReadVarint(ref payload, out var issue) || !TryReadVarint(ref payload, out var subscriber) || !payload.IsEmpty
            || issue > int.MaxValue || subscriber > long.MaxValue)
        {
            return false;
        }

        recipient = new VerpRecipient((int)issue, (long)subscriber);
        return true;
    }

    private void Mac(VerpPurpose purpose, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[payload.Length + 1];
        input[0] = (byte)purpose;
        payload.CopyTo(input[1..]);
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, full);
        full[..MacBytes].CopyTo(destination);
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static bool TryReadVarint(ref Span<byte> source, out ulong value)
    {
        value = 0;
        for (var i = 0; i < source.Length && i < 10; i++)
        {
            value |= (ulong)(source[i] & 0x7f) << (7 * i);
            if ((source[i] & 0x80) == 0)
            {
                source = source[(i + 1)..];
                return true;
            }
        }

        return false;
    }

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[(bytes.Length * 8 + 4) / 5];
        int bits = 0, buffer = 0, at = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[at++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[at++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars, 0, at);
    }

    private static bool TryFromBase32(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length * 5 / 8];
        int bits = 0, buffer = 0, at = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            buffer = ((buffer << 5) | value) & 0xfff;
            bits += 5;
            if (bits >= 8)
            {
                bytes[at++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        // Leftover bits must be zero, so each byte string has exactly one spelling.
        return (buffer & ((1 << bits) - 1)) == 0;
    }
}
