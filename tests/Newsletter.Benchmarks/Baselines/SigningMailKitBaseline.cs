using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;
using Newsletter.Mail;

namespace Newsletter.Benchmarks.Baselines;

/// <summary>
/// The ceiling of a signed send: the bare MailKit loop, except that every mail is DKIM-signed again
/// before it goes, with the product's signer (RSA-2048 through OpenSSL) and the same key the signed
/// end-to-end row uses.
/// </summary>
internal static class SigningMailKitBaseline
{
    public const string Name = "bare MailKit loop + DKIM (signed ceiling)";
    public const string ChildName = "mailkit-dkim";

    public static async Task<Measurement> RunAsync(BaselineContext context, string keyFile)
    {
        var cost = await ChildProcess.RunAsync(
            [ChildName, context.Host, $"{context.Port}", $"{context.Connections}", $"{context.Mails}", context.Sample.EmlPath, keyFile],
            context.Timeout);
        return cost.ToMeasurement(Name, "NoDelay socket, each mail signed");
    }

    /// <summary>The child's side: send, then print {"mails","seconds"} for the parent.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var host = args[0];
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var connections = int.Parse(args[2], CultureInfo.InvariantCulture);
        var mails = int.Parse(args[3], CultureInfo.InvariantCulture);
        var dkim = new DkimOptions { Domain = "bench.example", Selector = "bench", PrivateKeyPath = args[5] };
        var signer = new DkimSigner(Options.Create(dkim), new HostingEnvironment { ContentRootPath = "/" });
        var sender = MailboxAddress.Parse(SampleMessage.From);
        MailboxAddress[] recipients = [MailboxAddress.Parse(SampleMessage.To)];
        var messages = new MimeMessage[connections];
        for (var i = 0; i < connections; i++)
        {
            messages[i] = await MimeMessage.LoadAsync(args[4]);
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections)
            .Select(i => SendAsync(host, port, messages[i], signer, sender, recipients, mails / connections + (i < mails % connections ? 1 : 0))));
        Console.WriteLine(JsonSerializer.Serialize(new { mails, seconds = clock.Elapsed.TotalSeconds }));
        return 0;
    }

    private static async Task SendAsync(string host, int port, MimeMessage message, DkimSigner signer, MailboxAddress sender, MailboxAddress[] recipients, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(host), port);
        using var client = new SmtpClient();
        await client.ConnectAsync(socket, host, port, SecureSocketOptions.None);
        for (var i = 0; i < count; i++)
        {
            message.Headers.RemoveAll(HeaderId.DkimSignature);
            signer.Sign(message);
            await client.SendAsync(message, sender, recipients);
        }

        await client.DisconnectAsync(quit: true);
    }
}
