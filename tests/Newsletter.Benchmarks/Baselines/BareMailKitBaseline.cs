using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;

namespace Newsletter.Benchmarks.Baselines;

/// <summary>
/// The ceiling of our stack: MailKit over the same number of connections, re-sending one pre-built
/// message with nothing else to do. It runs in a child process of this program so its CPU and RSS
/// are measured like every other client's.
/// </summary>
internal static class BareMailKitBaseline
{
    public const string Name = "bare MailKit loop (stack ceiling)";
    public const string ChildName = "mailkit";

    public static async Task<Measurement> RunAsync(BaselineContext context)
    {
        var cost = await ChildProcess.RunAsync(
            [ChildName, context.Host, $"{context.Port}", $"{context.Connections}", $"{context.Mails}", context.Sample.EmlPath],
            context.Timeout);
        return cost.ToMeasurement(Name, "NoDelay socket");
    }

    /// <summary>The child's side: send, then print {"mails","seconds"} for the parent.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var host = args[0];
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var connections = int.Parse(args[2], CultureInfo.InvariantCulture);
        var mails = int.Parse(args[3], CultureInfo.InvariantCulture);
        var sender = MailboxAddress.Parse(SampleMessage.From);
        MailboxAddress[] recipients = [MailboxAddress.Parse(SampleMessage.To)];

        // One message per connection: SmtpClient prepares (may re-encode) the message it sends, so one
        // MimeMessage shared by concurrent clients is a race; a shared unprepared one crashed a long
        // run here. Loaded before the clock starts, as the other clients read the file before theirs.
        var messages = new MimeMessage[connections];
        for (var i = 0; i < connections; i++)
        {
            messages[i] = await MimeMessage.LoadAsync(args[4]);
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections)
            .Select(i => SendAsync(host, port, messages[i], sender, recipients, mails / connections + (i < mails % connections ? 1 : 0))));
        Console.WriteLine(JsonSerializer.Serialize(new { mails, seconds = clock.Elapsed.TotalSeconds }));
        return 0;
    }

    private static async Task SendAsync(string host, int port, MimeMessage message, MailboxAddress sender, MailboxAddress[] recipients, int count)
    {
        // Without NoDelay each mail's last segment waits for a delayed ACK: ~22 mails/s per connection.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(host), port);
        using var client = new SmtpClient();
        await client.ConnectAsync(socket, host, port, SecureSocketOptions.None);
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(message, sender, recipients);
        }

        await client.DisconnectAsync(quit: true);
    }
}
