using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.SendingSetup;

/// <summary>`doctor` as an operator runs it (a process of its own), against a real DNS server (dnsmasq).</summary>
public sealed class DoctorCommandTests(SetupDns dns) : IClassFixture<SetupDns>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-doctor-").FullName;

    private async Task<CliProcess.Result> DoctorAsync(Dictionary<string, string?> settings)
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        foreach (var (key, value) in settings)
        {
            env[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return await CliProcess.RunAsync(["doctor"], env);
    }

    private static string Line(CliProcess.Result result, string start) =>
        result.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no line starting {start}:\n{result.Stdout}\n{result.Stderr}");

    [Fact]
    public async Task ARightSetupPassesWithEveryRecordFound()
    {
        var result = await DoctorAsync(dns.Settings("right.example"));

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("DKIM          s1._domainkey.right.example TXT: present and right", Line(result, "[ok]"), StringComparison.Ordinal);
        Assert.Contains("_dmarc.right.example TXT: present and right (p=quarantine)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]       SPF           right.example TXT: present and right", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]       MX            right.example MX: present", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("10 mail.right.example", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Alignment: the From, DKIM and Return-Path domains align", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Result: every required record is published.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADkimKeyOfAnotherKeyPairIsWrongAndFailsTheCheck()
    {
        var result = await DoctorAsync(dns.Settings("otherkey.example"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[WRONG]    DKIM          s1._domainkey.otherkey.example TXT: wrong: the key published is not ours", result.Stdout, StringComparison.Ordinal);
        // The record to publish instead, split into strings of at most 255 bytes.
        var publish = Line(result, "           publish:      s1._domainkey.otherkey.example. IN TXT \"v=DKIM1; k=rsa; p=");
        Assert.Contains("\" \"", publish, StringComparison.Ordinal);
        Assert.Contains("Result: 1 required record(s) missing or wrong.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDmarcRecordFailsAndShowsTheRecordToPublish()
    {
        var result = await DoctorAsync(dns.Settings("nodmarc.example"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[MISSING]  DMARC         _dmarc.nodmarc.example TXT: missing: no DMARC record at _dmarc.nodmarc.example", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("publish:      _dmarc.nodmarc.example. IN TXT \"v=DMARC1; p=none; rua=mailto:bounces@nodmarc.example; adkim=r; aspf=r\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSpfRecordsAreWrong()
    {
        var result = await DoctorAsync(dns.Settings("twospf.example"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[WRONG]    SPF           twospf.example TXT: wrong: 2 SPF records at twospf.example", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("now:          v=spf1 include:_spf.google.com ~all", Line(result, "           now:          v=spf1 include:"), StringComparison.Ordinal);
        Assert.Contains("           now:          v=spf1 mx ~all", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResolverThatDoesNotAnswerGivesOneClearLineAndFails()
    {
        var settings = dns.Settings("right.example");
        settings["Dns:Server"] = "127.0.0.1:" + Dnsmasq.FreeUdpPort();
        settings["Dns:Timeout"] = "00:00:01";

        var result = await DoctorAsync(settings);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("newsletter: doctor:", StringComparison.Ordinal));
        Assert.StartsWith("newsletter: doctor: DNS cannot be reached", line, StringComparison.Ordinal);
        Assert.Contains(settings["Dns:Server"]!, line, StringComparison.Ordinal);
        Assert.Contains("[unknown]  DKIM", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Result: DNS could not be asked", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dns:Server", "resolver.example.com", "Dns:Server")]
    [InlineData("Dns:Timeout", "00:00:00", "Dns:Timeout")]
    [InlineData("SendingSetup:Relay", "Carrier pigeon", "SendingSetup:Relay")]
    public async Task AWrongSettingStopsWithOneLineNamingTheKey(string key, string value, string named)
    {
        var settings = dns.Settings("right.example");
        settings[key] = value;

        var result = await DoctorAsync(settings);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
