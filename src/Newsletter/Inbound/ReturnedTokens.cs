using System.Text.RegularExpressions;
using MimeKit;
using Newsletter.Mail;

namespace Newsletter.Inbound;

/// <summary>
/// Where a bounce or complaint says whose mail it was: the VERP token of the envelope recipient, or
/// the token of the original it returns. Only found here; whether a token verifies and whom it names
/// is <see cref="Verp"/>'s, and what the mail means is <see cref="InboundClassifier"/>'s.
/// </summary>
public sealed partial class ReturnedTokens(Verp verp)
{
    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc"];

    /// <summary>The returned original (message/rfc822 or its headers), wherever the bounce put it.</summary>
    public static MimeMessage? Original(MimeMessage message, MultipartReport? report)
    {
        var parts = ((IEnumerable<MimeEntity>?)report ?? (message.Body as Multipart) ?? []).ToList();
        return parts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null)
            ?? (message.Body as Multipart)?.OfType<Multipart>().SelectMany(m => m.OfType<MessagePart>()).Select(p => p.Message).FirstOrDefault(m => m is not null);
    }

    /// <summary>A token of ours in the envelope recipient: what for, the token, and the reader it names when it verifies.</summary>
    public sealed record EnvelopeAddress(VerpPurpose Purpose, string Token, VerpRecipient? Recipient);

    /// <summary>The token of ours in the envelope recipient (bounces+TOKEN, unsubscribe+TOKEN), as the receiving server recorded it.</summary>
    public EnvelopeAddress? Envelope(MimeMessage message)
    {
        foreach (var name in EnvelopeHeaders)
        {
            foreach (var header in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var address in Addresses(header.Value))
                {
                    if (verp.TryReadAddress(address, out var purpose, out var token, out var recipient))
                    {
                        return new EnvelopeAddress(purpose, token!, recipient);
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Addresses(string value) =>
        InternetAddressList.TryParse(value, out var list) ? list.Mailboxes.Select(m => m.Address) : [value.Trim()];

    /// <summary>
    /// The token of the original a bounce returns: its X-Newsletter-Token, else the VERP token in its
    /// Return-Path or List-Unsubscribe mailto (some servers keep only a few headers), in a
    /// message/rfc822 or text/rfc822-headers part (MimeKit reads both as a message), else in a copy
    /// pasted into the text (Exim's and other plain bounces).
    /// </summary>
    public string? Quoted(MimeMessage message, MultipartReport? report)
    {
        if (Original(message, report) is { } original)
        {
            return OfOriginal(original);
        }

        var text = PlainBounce.AllText(message);
        var pasted = PastedToken().Match(text);
        return pasted.Success ? pasted.Groups[1].Value : TokenIn(PastedReturnPath().Match(text).Value) ?? TokenIn(PastedUnsubscribe().Match(text).Value);
    }

    /// <summary>The token an original of ours carries in its headers.</summary>
    public string? OfOriginal(MimeMessage original) =>
        original.Headers[Verp.TokenHeader] ?? TokenIn(original.Headers["Return-Path"]) ?? TokenIn(original.Headers["List-Unsubscribe"]);

    /// <summary>
    /// A VERP token of ours in an address field, as the bounce token that names the same reader and
    /// issue (an unsubscribe mailto's token names them as surely; it is only read, never acted on).
    /// </summary>
    private string? TokenIn(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return null;
        }

        foreach (Match m in AddressLike().Matches(field))
        {
            if (verp.TryReadAddress(m.Value, out _, out _, out var recipient) && recipient is { } r)
            {
                return verp.BounceToken(r);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^X-Newsletter-Token:[ \t]*([A-Za-z0-9]+)[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PastedToken();

    [GeneratedRegex(@"^[ \t>]*Return-Path:[^\n]*", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PastedReturnPath();

    [GeneratedRegex(@"^[ \t>]*List-Unsubscribe:[^\n]*(\n[ \t]+[^\n]*)*", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PastedUnsubscribe();

    [GeneratedRegex(@"[^\s<>,:;""']+@[^\s<>,;""'?]+")]
    private static partial Regex AddressLike();
}
