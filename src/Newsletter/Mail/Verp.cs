using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Data;

namespace Newsletter.Mail;

/// <summary>
/// VERP for this installation: with Bounces:ReturnPath = bounces@example.com, a digest to reader R
/// of issue N goes out with the envelope sender bounces+TOKEN@example.com and the header
/// X-Newsletter-Token: TOKEN, and its List-Unsubscribe mailto is bounces+u-TOKEN2@example.com.
/// Everything that comes back to that mailbox names its delivery by a token only this key can make.
/// </summary>
public sealed class Verp
{
    /// <summary>The header that carries the bounce token, for reports that quote only the original (ARF).</summary>
    public const string TokenHeader = "X-Newsletter-Token";

    private const string UnsubscribePrefix = "u-";
    private readonly BouncesOptions _options;
    private readonly Lazy<VerpToken> _tokens;

    public Verp(IOptions<BouncesOptions> options, Func<byte[]> key)
    {
        _options = options.Value;
        _tokens = new Lazy<VerpToken>(() => new VerpToken(key()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>For the host: the configured key, else the one stored in the database (read once, on first use).</summary>
    public static Verp Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BouncesOptions>>();
        return new Verp(options, () =>
        {
            if (!string.IsNullOrEmpty(options.Value.SigningKey))
            {
                return SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey));
            }

            using var scope = services.CreateScope();
            return StoredSecret.GetOrCreate(scope.ServiceProvider.GetRequiredService<NewsletterDbContext>(), "verp");
        });
    }

    public bool Enabled => _options.Enabled;

    public string BounceToken(VerpRecipient recipient) => _tokens.Value.Create(VerpPurpose.Bounce, recipient);

    /// <summary>bounces+TOKEN@domain for a digest mail, bounces@domain for any other; null without a ReturnPath.</summary>
    public string? EnvelopeSender(VerpRecipient? recipient) =>
        !Enabled ? null
        : recipient is { } r ? $"{_options.Local}+{BounceToken(r)}@{_options.Domain}"
        : $"{_options.Local}@{_options.Domain}";

    /// <summary>The envelope sender for a built message: its token header decides (see <see cref="MailFactory"/>).</summary>
    public string? EnvelopeSender(MimeMessage message)
    {
        if (!Enabled)
        {
            return null;
        }

        var token = message.Headers[TokenHeader];
        return string.IsNullOrEmpty(token) ? EnvelopeSender((VerpRecipient?)null) : $"{_options.Local}+{token.Trim()}@{_options.Domain}";
    }

    public string UnsubscribeAddress(VerpRecipient recipient) =>
        $"{_options.Local}+{UnsubscribePrefix}{_tokens.Value.Create(VerpPurpose.Unsubscribe, recipient)}@{_options.Domain}";

    /// <summary>
    /// Reads local+TOKEN@domain or local+u-TOKEN@domain of our own return path. False for any other
    /// address (then <paramref name="token"/> is null); true with the token's purpose otherwise,
    /// verified or not: <paramref name="recipient"/> is set only when the signature holds.
    /// </summary>
    public bool TryReadAddress(string? address, out VerpPurpose purpose, out string? token, out VerpRecipient? recipient)
    {
        purpose = VerpPurpose.Bounce;
        token = null;
        recipient = null;
        if (!Enabled || string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var a = address.Trim().Trim('<', '>');
        var at = a.LastIndexOf('@');
        var prefix = _options.Local + "+";
        if (at <= prefix.Length || !a[(at + 1)..].Equals(_options.Domain, StringComparison.OrdinalIgnoreCase)
            || !a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var local = a[prefix.Length..at];
        if (local.StartsWith(UnsubscribePrefix, StringComparison.OrdinalIgnoreCase))
        {
            purpose = VerpPurpose.Unsubscribe;
            local = local[UnsubscribePrefix.Length..];
        }

        token = local;
        recipient = Verify(purpose, token);
        return true;
    }

    public VerpRecipient? Verify(VerpPurpose purpose, string? token) =>
        _tokens.Value.TryVerify(purpose, token?.Trim(), out var recipient) ? recipient : null;
}
