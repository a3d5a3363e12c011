using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

public sealed class EmailAddressTests
{
    [Fact]
    public void TheKeyOfAnAddressFromOutsideIsCanonical()
    {
        // "u" + combining diaeresis (as some systems write it) and the ASCII domain a provider reports.
        Assert.Equal("jürgen@xn--bcher-kva.example", EmailAddress.KeyOf(" Ju\u0308rgen@BÜCHER.example"));
        Assert.Equal("jürgen@xn--bcher-kva.example", EmailAddress.KeyOf("j\u00FCrgen@xn--bcher-kva.example"));
    }

    [Theory]
    [InlineData(" Reader@Example.COM ", "Reader@example.com", "reader@example.com")]
    [InlineData("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("jürgen@bücher.example", "jürgen@bücher.example", "jürgen@xn--bcher-kva.example")]
    [InlineData("Jürgen@XN--BCHER-KVA.example", "Jürgen@xn--bcher-kva.example", "jürgen@xn--bcher-kva.example")]
    public void ValidAddressesAreTrimmedWithTheDomainLowercased(string typed, string value, string key)
    {
        Assert.True(EmailAddress.TryParse(typed, out var address, out var error), error);
        Assert.Equal(value, address.Value);
        Assert.Equal(key, address.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a@b")]
    [InlineData("a\n@example.com")]
    [InlineData("\"quoted@local\"@example.com")]
    [InlineData("reader@example..com")]
    [InlineData("reader@example.com.")]
    public void InvalidAddressesSayWhy(string? typed)
    {
        Assert.False(EmailAddress.TryParse(typed, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void LengthLimitsAreThoseOfSmtp()
    {
        var local64 = new string('a', 64);
        Assert.True(EmailAddress.TryParse(local64 + "@example.com", out _, out _));
        Assert.False(EmailAddress.TryParse(local64 + "a@example.com", out _, out _));

        var domain = string.Join('.', Enumerable.Repeat(new string('d', 61), 4)) + ".com"; // 251 characters
        Assert.True(EmailAddress.TryParse("ab@" + domain, out _, out var error), error); // 254
        Assert.False(EmailAddress.TryParse("abc@" + domain, out _, out _)); // 255
    }

    [Fact]
    public void ACharacterThatIsNotAllowedIsNamedAsTyped()
    {
        Assert.False(EmailAddress.TryParse("ab😀c@example.com", out _, out var error));

        Assert.Contains("\u201c😀\u201d", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", error, StringComparison.Ordinal);
    }
}
