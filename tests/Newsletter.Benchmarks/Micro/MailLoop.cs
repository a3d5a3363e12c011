using System.Globalization;
using System.Text.Json;
using MimeKit;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// A fixed per-mail loop for load-independent figures: N readers' mails built by the product's
/// MailFactory (with or without its DKIM signer) and written as SMTP would write them, to a null
/// stream. Run under `valgrind --tool=callgrind` twice with different N, the difference of the
/// instruction counts divided by the difference of N is the instructions a mail costs, start-up and
/// JIT excluded (run with DOTNET_TieredCompilation=0 so the code does not change mid-run). It also
/// prints the bytes allocated per mail on this thread.
/// </summary>
internal static class MailLoop
{
    public const string ChildName = "mailloop";

    /// <summary>args: N, "plain" or "dkim".</summary>
    public static int Run(string[] args)
    {
        var n = int.Parse(args[0], CultureInfo.InvariantCulture);
        using var setup = new ProductMicroBenchmarks();
        setup.Setup(sign: args.Length > 1 && args[1] == "dkim");
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;

        // Warm-up: the first mails pay for static state and JIT; they are not counted.
        for (var i = 0; i < 20; i++)
        {
            setup.BuildMail().WriteTo(format, Stream.Null);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            setup.BuildMail().WriteTo(format, Stream.Null);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine(JsonSerializer.Serialize(new { mails = n, signed = args.Length > 1 && args[1] == "dkim", bytesPerMail = n == 0 ? 0 : allocated / n }));
        return 0;
    }
}
