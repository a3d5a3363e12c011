using System.Buffers.Binary;
using System.Globalization;
using Newsletter.Links;

namespace Newsletter.Clicks;

/// <summary>
/// The path of a tracked link: /r/{link id}.{mac}.{reader}. The link id and its 96-bit HMAC are the
/// same for every reader (rendered once per issue); the reader part is the mail's sealed reader,
/// spliced in per reader. Anything changed gets 404.
/// </summary>
public static class ClickToken
{
    private const int MacBytes = 12;

    /// <summary>"/r/{id}.{mac}.": the reader part follows.</summary>
    public static string Prefix(LinkSecrets secrets, long linkId) =>
        "/r/" + linkId.ToString(CultureInfo.InvariantCulture) + "." + LinkSecrets.Mac(secrets.ClickKey, Data(linkId), MacBytes) + ".";

    public static (long LinkId, string UnsubscribeToken)? Read(LinkSecrets secrets, string? token)
    {
        if (token is null || token.Length > 600 || token.Split('.') is not [var idText, var mac, var reader]
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var linkId)
            || !LinkSecrets.MacMatches(secrets.ClickKey, Data(linkId), MacBytes, mac))
        {
            return null;
        }

        return secrets.Reader.Open(reader) is { } unsubscribeToken ? (linkId, unsubscribeToken) : null;
    }

    private static byte[] Data(long linkId)
    {
        var data = new byte[9];
        data[0] = (byte)'r';
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(1), linkId);
        return data;
    }
}
