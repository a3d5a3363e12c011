using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Mail;

namespace Newsletter.Tests.Inbound;

public sealed class VerpTokenTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Theory]
    [InlineData(1, 1L)]
    [InlineData(52, 123_456L)]
    [InlineData(int.MaxValue, long.MaxValue)]
    public void ATokenVerifiesToTheIssueAndReaderItNames(int issue, long subscriber)
    {
        var tokens = new VerpToken(Key);
        var token = tokens.Create(VerpPurpose.Bounce, new VerpRecipient(issue, subscriber));

        Assert.True(tokens.TryVerify(VerpPurpose.Bounce, token, out var recipient));
        Assert.Equal(new VerpRecipient(issue, subscriber), recipient);
        Assert.Matches("^[a-z2-7]+$", token);
        Assert.True(("bounces+u-" + token).Length <= 64, token);
    }

    [Fact]
    public void AnyChangedCharacterFailsVerification()
    {
        var tokens = new VerpToken(Key);
        var token = tokens.Create(VerpPurpose.Bounce, new VerpRecipient(7, 42));
        for (var i = 0; i < token.Length; i++)
        {
            var other = token[i] == 'a' ? 'b' : 'a';
            var tampered = token[..i] + other + token[(i + 1)..];
            Assert.False(tokens.TryVerify(VerpPurpose.Bounce, tampered, out _), tampered);
        }

        Assert.False(tokens.TryVerify(VerpPurpose.Bounce, token[..^1], out _));
        Assert.False(tokens.TryVerify(VerpPurpose.Bounce, token + "a", out _));
    }

    [Fact]
    public void ATokenForAnotherReaderCannotBeMadeByEditingTheIdBytes()
    {
        var tokens = new VerpToken(Key);
        var mine = tokens.Create(VerpPurpose.Bounce, new VerpRecipient(7, 42));
        var theirs = tokens.Create(VerpPurpose.Bounce, new VerpRecipient(7, 43));

        // The id part of one token with the signature of another verifies to nobody.
        var spliced = theirs[..4] + mine[4..];
        Assert.False(tokens.TryVerify(VerpPurpose.Bounce, spliced, out _));
    }

    [Fact]
    public void ABounceTokenIsNoUnsubscribeTokenAndAnotherKeyKnowsNeither()
    {
        var token = new VerpToken(Key).Create(VerpPurpose.Bounce, new VerpRecipient(3, 9));

        Assert.False(new VerpToken(Key).TryVerify(VerpPurpose.Unsubscribe, token, out _));
        Assert.False(new VerpToken([.. Key.Select(b => (byte)(b ^ 1))]).TryVerify(VerpPurpose.Bounce, token, out _));
    }

    [Fact]
    public void UpperCaseFromAMailSystemStillVerifies()
    {
        var tokens = new VerpToken(Key);
        var token = tokens.Create(VerpPurpose.Bounce, new VerpRecipient(3, 9));

        Assert.True(tokens.TryVerify(VerpPurpose.Bounce, token.ToUpperInvariant(), out var recipient));
        Assert.Equal(new VerpRecipient(3, 9), recipient);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void GarbageDoesNotVerify(string? token) =>
        Assert.False(new VerpToken(Key).TryVerify(VerpPurpose.Bounce, token, out _));

    [Fact]
    public void WithAReturnPathTheDigestCarriesTheTokenInAHeaderAndTheMailtoAndTheEnvelope()
    {
        var verp = new Verp(Options.Create(new BouncesOptions { ReturnPath = "bounces@verdicts.example.com" }), () => Key);
        var factory = new MailFactory(Options.Create(new Newsletter.Hosting.NewsletterOptions { From = "Verdicts <digest@verdicts.example.com>" }), verp: verp);
        var message = factory.Build(new OutgoingMail(new MailboxAddress("", "reader@example.org"), "Issue", "<p>x</p>", "x")
        {
            Unsubscribe = new UnsubscribeLinks("https://verdicts.example.com/unsubscribe?token=t", "mailto:digest@verdicts.example.com?subject=unsubscribe%20t"),
            Recipient = new VerpRecipient(5, 77),
        });

        var token = message.Headers[Verp.TokenHeader];
        Assert.Equal(new VerpRecipient(5, 77), verp.Verify(VerpPurpose.Bounce, token));

        var sender = verp.EnvelopeSender(message)!;
        Assert.Equal($"bounces+{token}@verdicts.example.com", sender);
        Assert.True(sender.Split('@')[0].Length <= 64);
        Assert.True(verp.TryReadAddress(sender, out var purpose, out _, out var fromSender));
        Assert.Equal((VerpPurpose.Bounce, new VerpRecipient(5, 77)), (purpose, fromSender!.Value));

        var mailto = System.Text.RegularExpressions.Regex.Match(message.Headers["List-Unsubscribe"]!, "<mailto:([^?>]+)").Groups[1].Value;
        Assert.StartsWith("bounces+u-", mailto, StringComparison.Ordinal);
        Assert.True(verp.TryReadAddress(mailto, out purpose, out _, out var fromMailto));
        Assert.Equal((VerpPurpose.Unsubscribe, new VerpRecipient(5, 77)), (purpose, fromMailto!.Value));
    }

    [Fact]
    public void WithoutAReturnPathNothingChanges()
    {
        var verp = new Verp(Options.Create(new BouncesOptions()), () => Key);
        var factory = new MailFactory(Options.Create(new Newsletter.Hosting.NewsletterOptions { From = "Verdicts <digest@verdicts.example.com>" }), verp: verp);
        var message = factory.Build(new OutgoingMail(new MailboxAddress("", "reader@example.org"), "Issue", "<p>x</p>", "x")
        {
            Unsubscribe = new UnsubscribeLinks("https://verdicts.example.com/u", "mailto:digest@verdicts.example.com?subject=unsubscribe%20t"),
            Recipient = new VerpRecipient(5, 77),
        });

        Assert.Null(message.Headers[Verp.TokenHeader]);
        Assert.Null(verp.EnvelopeSender(message));
        Assert.Contains("<mailto:digest@verdicts.example.com?subject=unsubscribe%20t>", message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
    }
}
