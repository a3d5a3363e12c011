using Newsletter.SendingSetup;

namespace Newsletter.Tests.SendingSetup;

/// <summary>The organisational domain by the Public Suffix List, with cases from publicsuffix.org's own test list.</summary>
public sealed class PublicSuffixListTests
{
    private static readonly PublicSuffixList Psl = PublicSuffixList.Default;

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("news.verdicts.example.com", "example.com")]
    [InlineData("EXAMPLE.COM.", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")] // two-label suffix: not "the last two labels"
    [InlineData("mail.example.com.au", "example.com.au")]
    [InlineData("bar.example.example", "example.example")] // a TLD the list does not know: the rule "*"
    [InlineData("b.test.ck", "b.test.ck")] // wildcard *.ck: test.ck is a suffix
    [InlineData("test.ck", "test.ck")] // a public suffix itself: no registrable part
    [InlineData("www.ck", "www.ck")] // exception !www.ck
    [InlineData("www.www.ck", "www.ck")]
    [InlineData("city.kawasaki.jp", "city.kawasaki.jp")] // exception under the wildcard *.kawasaki.jp
    [InlineData("www.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("a.b.kawasaki.jp", "a.b.kawasaki.jp")]
    [InlineData("someone.github.io", "someone.github.io")] // the list's private section counts too
    [InlineData("www.食狮.中国", "xn--85x722f.xn--fiqs8s")] // international: compared as punycode
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    public void OrganizationalDomainFollowsTheList(string domain, string expected) =>
        Assert.Equal(expected, Psl.OrganizationalDomain(domain));

    [Fact]
    public void RelaxedAlignmentComparesOrganizationalDomains()
    {
        Assert.True(Psl.Aligned("bounces.verdicts.example.co.uk", "example.co.uk"));
        Assert.False(Psl.Aligned("a.co.uk", "b.co.uk"));
        Assert.False(Psl.Aligned("alice.github.io", "bob.github.io"));
    }

    [Fact]
    public void AListParsedFromTextAppliesWildcardsAndExceptions()
    {
        var list = PublicSuffixList.Parse(new StringReader("// comment\ncom\n*.zone\n!open.zone\n"));

        Assert.Equal("b.a.zone", list.OrganizationalDomain("c.b.a.zone"));
        Assert.Equal("open.zone", list.OrganizationalDomain("www.open.zone"));
        Assert.Equal("x.com", list.OrganizationalDomain("w.x.com"));
    }

    [Fact]
    public void TheRepositoryKeepsTheListItEmbeds()
    {
        var copy = Path.Combine(Fixtures.NewsletterApp.RepositoryRoot, "src", "Newsletter", "SendingSetup", "public_suffix_list.dat");
        Assert.Contains("// ===BEGIN ICANN DOMAINS===", File.ReadAllText(copy), StringComparison.Ordinal);
    }
}
