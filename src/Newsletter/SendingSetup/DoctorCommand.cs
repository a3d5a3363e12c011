using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Newsletter.SendingSetup;

/// <summary>
/// `doctor`: the sending setup as text, for a terminal or a deploy gate. Exit 0 when every required
/// record is present and right (notes allowed), 1 when one is missing or wrong or DNS cannot be reached.
/// </summary>
public static class DoctorCommand
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var command = new Command("doctor", "Check the sending setup: the DNS records to publish (DKIM, DMARC, SPF, MX), what DNS answers now, and domain alignment. Exit 1 when a required record is missing or wrong.");
        command.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<SetupCheck>().CheckAsync(ct);
            Console.Write(Text(report));
            if (report.DnsError is not null)
            {
                await Console.Error.WriteLineAsync("newsletter: doctor: " + report.DnsError);
            }

            return report.Passes ? 0 : 1;
        });
        yield return command;
    }

    public static string Text(SetupReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Sending setup for {report.From} (relay: {report.Relay}; DNS: {report.Resolver})");
        if (report.DnsError is not null)
        {
            text.AppendLine(report.DnsError);
        }

        text.AppendLine();
        foreach (var record in report.Records)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{Mark(record),-10} {record.Purpose,-13} {record.Name} {record.Type}: {record.Verdict}");
            foreach (var found in record.Found)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{"",11}{"now:",-13} {found}");
            }

            if (record.ZoneLine is { } line && record.State is not RecordState.Right)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{"",11}{"publish:",-13} {line}");
            }
        }

        text.AppendLine();
        if (report.Alignment.Count == 0)
        {
            text.AppendLine("Alignment: the From, DKIM and Return-Path domains align under DMARC's relaxed rule.");
        }
        else
        {
            foreach (var problem in report.Alignment)
            {
                text.AppendLine("Alignment: " + problem);
            }
        }

        text.AppendLine(report.Passes
            ? "Result: every required record is published."
            : report.DnsError is not null
                ? "Result: DNS could not be asked; nothing is known about the records."
                : $"Result: {report.Failing} required record(s) missing or wrong.");
        return text.ToString();
    }

    public static string Mark(SetupRecord record) => record.State switch
    {
        RecordState.Right => "[ok]",
        RecordState.Note => "[note]",
        RecordState.Missing => record.Required ? "[MISSING]" : "[none]",
        RecordState.Wrong => record.Required ? "[WRONG]" : "[wrong]",
        RecordState.NotNeeded => "[n/a]",
        _ => "[unknown]",
    };
}
