using System.Diagnostics;
using System.Text;
using MimeKit;
using Newsletter.Benchmarks.EndToEnd;

namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>
/// The one message every client sends: the digest mail the product itself sends in the shipped rows,
/// taken from it. The product runs `send-now` once over a <see cref="TempDatabase"/> of one reader
/// (the same comparisons every shipped row's database carries) with no SMTP host, so the mail lands
/// in a pickup folder; it is written once per run as an .eml that the Node and Python clients read,
/// so that every client sends the same bytes as the product, give or take a reader's address and
/// tokens. (It used to be a digest-shaped mail of its own making: 29,519 bytes against the product's
/// 43 KB, which made every "÷ its reference" figure compare unlike mails.)
/// </summary>
internal sealed record SampleMessage(string EmlPath, string LfEmlPath, long Size)
{
    public const string From = "digest@bench.example";
    public const string To = "reader@bench.example";

    /// <summary>The From every product run in the benchmark uses.</summary>
    public const string ProductFrom = "AI Tool Verdicts <" + From + ">";

    public static async Task<SampleMessage> WriteAsync(string folder)
    {
        var message = await FromProductAsync(folder);

        // Write it as it goes on the wire, so every client's DATA is these bytes: 7-bit content
        // (MailKit would otherwise re-encode for a server without 8BITMIME) and CRLF line ends.
        message.Prepare(EncodingConstraint.SevenBit);
        var eml = Path.Combine(folder, "sample.eml");
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        await using (var file = File.Create(eml))
        {
            await message.WriteToAsync(options, file);
        }

        // smtp-source -F appends CRLF to every line it reads without removing a CR first, so it gets
        // the same message with LF line ends (see its man page and README.md).
        var lf = Path.Combine(folder, "sample-lf.eml");
        var bytes = await File.ReadAllBytesAsync(eml);
        await File.WriteAllTextAsync(lf, Encoding.ASCII.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal));
        return new SampleMessage(eml, lf, bytes.Length);
    }

    /// <summary>One reader's digest, as `send-now` writes it to the pickup folder.</summary>
    private static async Task<MimeMessage> FromProductAsync(string folder)
    {
        await using var database = await TempDatabase.CreateAsync(1);
        var pickup = Path.Combine(folder, "pickup");
        var start = new ProcessStartInfo("dotnet", [BenchPaths.ProductDll, "send-now"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NEWSLETTER_ROOT"] = BenchPaths.RepoRoot;
        start.Environment["ConnectionStrings__Newsletter"] = database.ConnectionString;
        start.Environment["Smtp__Host"] = "";
        start.Environment["Smtp__PickupDirectory"] = pickup;
        start.Environment["Newsletter__From"] = ProductFrom;

        // As long as the shipped rows' http://127.0.0.1:PORT, so the links are as long.
        start.Environment["Newsletter__PublicBaseUrl"] = "http://127.0.0.1:40000";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var files = Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : [];
        if (process.ExitCode != 0 || files.Length != 1)
        {
            throw new InvalidOperationException(
                $"send-now exited with {process.ExitCode} and wrote {files.Length} mails:\n{await output}\n{await errors}");
        }

        return await MimeMessage.LoadAsync(files[0]);
    }
}
