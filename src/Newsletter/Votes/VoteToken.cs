using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Newsletter.Links;

namespace Newsletter.Votes;

/// <summary>What a vote link names: the comparison, the tool, the choice (the reader is the sealed part).</summary>
public sealed record VoteChoice(long ComparisonId, string Tool, bool Ship);

/// <summary>
/// The token of /vote?token=…: "{choice}.{mac}.{reader}". The choice part (comparison id, tool name,
/// ship or skip) is the same for every reader and carries a 128-bit HMAC, so it is rendered once per
/// issue; the reader part is the mail's <see cref="ReaderSeal"/>, spliced in per reader. Neither can
/// be made without the server's secret, and a changed character in either is refused.
/// </summary>
public static class VoteToken
{
    private const byte Version = 1;
    private const int MacBytes = 16;

    /// <summary>Everything of the token but the reader's part, which follows the final '.'.</summary>
    public static string ChoicePart(LinkSecrets secrets, VoteChoice choice)
    {
        var payload = Payload(choice);
        return WebEncoders.Base64UrlEncode(payload) + "." + LinkSecrets.Mac(secrets.VoteKey, payload, MacBytes) + ".";
    }

    /// <summary>The choice and the reader's unsubscribe token, or null for anything this server did not make.</summary>
    public static (VoteChoice Choice, string UnsubscribeToken)? Read(LinkSecrets secrets, string? token)
    {
        if (token is null || token.Length > 1000 || token.Split('.') is not [var payloadText, var mac, var reader])
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = WebEncoders.Base64UrlDecode(payloadText);
        }
        catch (FormatException)
        {
            return null;
        }

        if (payload.Length < 11 || payload[0] != Version || payload[1] > 1 || !LinkSecrets.MacMatches(secrets.VoteKey, payload, MacBytes, mac))
        {
            return null;
        }

        var unsubscribeToken = secrets.Reader.Open(reader);
        if (unsubscribeToken is null)
        {
            return null;
        }

        var choice = new VoteChoice(BinaryPrimitives.ReadInt64LittleEndian(payload.AsSpan(2, 8)), Encoding.UTF8.GetString(payload.AsSpan(10)), payload[1] == 1);
        return (choice, unsubscribeToken);
    }

    private static byte[] Payload(VoteChoice choice)
    {
        var tool = Encoding.UTF8.GetBytes(choice.Tool);
        var payload = new byte[10 + tool.Length];
        payload[0] = Version;
        payload[1] = choice.Ship ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(2, 8), choice.ComparisonId);
        tool.CopyTo(payload.AsSpan(10));
        return payload;
    }
}
