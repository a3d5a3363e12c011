using System.CommandLine;
using Microsoft.Extensions.Options;
using Newsletter.Mail;
using Newsletter.Hosting;

namespace Newsletter.Digests;

/// <summary>`preview [--to ADDRESS ...]`: the next digest to the editors or the given addresses.</summary>
public static class DigestCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var to = new Option<string[]>("--to")
        {
            Description = "Send to these addresses instead of Newsletter:Editors (any address, not only subscribers).",
            AllowMultipleArgumentsPerToken = true,
        };
        var preview = new Command("preview", "Send the next digest, exactly as readers would get it, with \"[Preview] \" before the subject. Changes nothing.") { to };
        preview.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var previewer = scope.ServiceProvider.GetRequiredService<DigestPreviewer>();
            var recipients = await previewer.RecipientsAsync(parse.GetValue(to), ct);
            if (!recipients.IsValid)
            {
                var reasons = string.Join("; ", recipients.Errors.Select(e => $"{(e.Key == "to" ? "--to" : e.Key.Replace("to[", "--to[", StringComparison.Ordinal))} {string.Join(", ", e.Value)}"));
                await Console.Error.WriteLineAsync("newsletter: preview: " + reasons);
                return 1;
            }

            var sent = await previewer.SendAsync(recipients.Addresses, ct);
            var smtp = scope.ServiceProvider.GetRequiredService<IOptions<SmtpOptions>>().Value;
            var where = smtp.UsesPickupDirectory
                ? "written to " + scope.ServiceProvider.GetRequiredService<IHostEnvironment>().ResolveDataPath(smtp.PickupDirectory)
                : $"via SMTP {smtp.Host}:{smtp.Port}";
            foreach (var address in recipients.Addresses)
            {
                Console.WriteLine($"Sent preview of #{sent.Plan.Number} to {address.Address} ({where})");
            }

            Console.WriteLine($"Subject: {DigestPreviewer.SubjectPrefix}{MailFactory.HeaderText(sent.Plan.Subject)}");
            return 0;
        });
        yield return preview;
    }
}
