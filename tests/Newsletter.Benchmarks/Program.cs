using System.CommandLine;
using Newsletter.Benchmarks;
using Newsletter.Benchmarks.Baselines;
using Newsletter.Benchmarks.EndToEnd;
using Newsletter.Benchmarks.Infrastructure;

// A measured client re-launched by this program (see ChildProcess): not a user command.
if (args.Length > 1 && args[0] == ChildProcess.Flag)
{
    return args[1] switch
    {
        BareMailKitBaseline.ChildName => await BareMailKitBaseline.RunChildAsync(args[2..]),
        EndToEndRun.ChildName => await EndToEndRun.RunChildAsync(args[2..]),
        _ => 2,
    };
}

var subscribers = new Option<string>("--n")
{
    Description = "Subscribers in the end-to-end run; a comma list runs each (20000,1000000 compares them)",
    DefaultValueFactory = _ => "20000",
};
var connections = new Option<int>("--connections")
{
    Description = "SMTP connections, for ours (Smtp:Connections) and every other client",
    DefaultValueFactory = _ => 4,
};
var mails = new Option<int>("--mails")
{
    Description = "Mails each baseline client sends",
    DefaultValueFactory = _ => 10_000,
};
var only = new Option<string?>("--only") { Description = "Run one part only" };
only.AcceptOnlyFromAmong(BenchmarkRun.Baselines, BenchmarkRun.EndToEnd, BenchmarkRun.Micro);
var loadSeconds = new Option<int>("--load-seconds")
{
    Description = "How long POST /subscribe is loaded",
    DefaultValueFactory = _ => 10,
};

var root = new RootCommand("Newsletter benchmarks: our send against smtp-source, a bare MailKit loop, nodemailer and smtplib on one smtp-sink, plus micro-benchmarks.")
{
    subscribers, connections, mails, only, loadSeconds,
};
root.SetAction(async (parsed, _) =>
{
    var counts = parsed.GetValue(subscribers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.TryParse(s, out var n) && n > 0 ? n : throw new ArgumentException($"--n: '{s}' is not a positive number"))
        .ToList();
    var settings = new BenchSettings(counts, parsed.GetValue(connections), parsed.GetValue(mails), parsed.GetValue(only), parsed.GetValue(loadSeconds));
    return await BenchmarkRun.RunAsync(settings, Console.Out);
});
return await root.Parse(args).InvokeAsync();
