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
        SigningMailKitBaseline.ChildName => await SigningMailKitBaseline.RunChildAsync(args[2..]),
        EndToEndRun.ChildName => await EndToEndRun.RunChildAsync(args[2..]),
        Newsletter.Benchmarks.Micro.MailLoop.ChildName => Newsletter.Benchmarks.Micro.MailLoop.Run(args[2..]),
        ClusterRun.MakeChild => await ClusterRun.RunMakeChildAsync(args[2..]),
        ClusterRun.SendChild => await ClusterRun.RunSendChildAsync(args[2..]),
        SelectiveMake.ChildName => await SelectiveMake.RunChildAsync(args[2..]),
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
    // As many as our default send: .NET warms up in the first seconds, so shorter runs would sell
    // the bare MailKit loop short against ours.
    Description = "Mails each baseline client sends per round",
    DefaultValueFactory = _ => 20_000,
};
var repeats = new Option<int>("--repeats")
{
    Description = "Rounds of the baseline clients; each one's figure is the median",
    DefaultValueFactory = _ => 3,
};
var only = new Option<string?>("--only") { Description = "Run one part only" };
only.AcceptOnlyFromAmong(BenchmarkRun.Baselines, BenchmarkRun.EndToEnd, BenchmarkRun.Shipped, BenchmarkRun.Cluster, BenchmarkRun.Micro, BenchmarkRun.Selections, Newsletter.Benchmarks.Landing.LandingRun.Part);
var makeSubscribers = new Option<int>("--make-n")
{
    Description = "Readers in the list the issue is made for with some of them choosing topics (issue 23's 5 s goal is at 1,000,000)",
    DefaultValueFactory = _ => 1_000_000,
};
var makeHistory = new Option<int>("--make-history")
{
    Description = "Issues already sent (4 comparisons each) on the list the issue is made for, so the make is timed on a long-lived list (issue 23's per-reader marks)",
    DefaultValueFactory = _ => 0,
};
makeHistory.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() < 0)
    {
        r.AddError("--make-history must be 0 or more");
    }
});
var loadSeconds = new Option<int>("--load-seconds")
{
    Description = "How long POST /subscribe is loaded",
    DefaultValueFactory = _ => 10,
};

foreach (var option in new[] { connections, mails, repeats, loadSeconds, makeSubscribers })
{
    option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<int>() < 1)
        {
            r.AddError($"{option.Name} must be at least 1");
        }
    });
}

subscribers.Validators.Add(r =>
{
    if (Counts(r.GetValueOrDefault<string>()) is null)
    {
        r.AddError("--n takes positive numbers separated by commas, e.g. 20000,1000000");
    }
});

var root = new RootCommand("Newsletter benchmarks: our send against smtp-source, a bare MailKit loop, nodemailer and smtplib on one smtp-sink, plus micro-benchmarks.")
{
    subscribers, connections, mails, repeats, only, loadSeconds, makeSubscribers, makeHistory,
};
root.SetAction(async (parsed, _) =>
{
    var settings = new BenchSettings(Counts(parsed.GetValue(subscribers)!)!, parsed.GetValue(connections), parsed.GetValue(mails), parsed.GetValue(repeats), parsed.GetValue(only), parsed.GetValue(loadSeconds), parsed.GetValue(makeSubscribers), parsed.GetValue(makeHistory));
    return await BenchmarkRun.RunAsync(settings, Console.Out);
});
return await root.Parse(args).InvokeAsync();

static List<int>? Counts(string value)
{
    var counts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.TryParse(s, out var n) && n > 0 ? n : 0)
        .ToList();
    return counts.Count > 0 && counts.All(n => n > 0) ? counts : null;
}
