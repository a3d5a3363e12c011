using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// A real IMAP server for the tests: Debian's Dovecot, started from a config in a temp folder on a
/// free loopback port, with one passwd-file user and a maildir there (ENGINEERING.md, "More real
/// servers for tests"). Mail goes in with IMAP APPEND, as any client would put it there.
/// </summary>
public sealed class Dovecot : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dovecot";
    public const string UserName = "bounces";
    public const string Password = "bounce-secret";

    private Dovecot(string folder, int port)
    {
        Folder = folder;
        Port = port;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    public string Folder { get; }

    public static async Task<Dovecot> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install dovecot-imapd (tests/run-tests.sh does)");
        }

        var folder = Directory.CreateTempSubdirectory("newsletter-dovecot-").FullName;

        // Dovecot's auth process (user dovecot) reads the passwd-file: the folder must be searchable.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }
        var port = FreePort();
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        Directory.CreateDirectory(Path.Combine(folder, "state"));
        Directory.CreateDirectory(Path.Combine(folder, "mail"));
        await File.WriteAllTextAsync(Path.Combine(folder, "users"), $"{UserName}:{{PLAIN}}{Password}\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{folder}}/run
            state_dir = {{folder}}/state
            log_path = {{folder}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:{{folder}}/mail/%u
            first_valid_uid = 1
            first_valid_gid = 1
            namespace inbox {
              inbox = yes
              separator = /
            }
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{folder}}/users
            }
            userdb {
              driver = static
              args = uid=mail gid=mail home={{folder}}/mail/%u
            }
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }
            """);

        // Dovecot will not keep mail as root: the mail folder belongs to "mail", as the userdb says.
        if (Environment.UserName == "root")
        {
            using var chown = Process.Start("chown", ["-R", "mail:mail", Path.Combine(folder, "mail")]);
            await chown.WaitForExitAsync();
        }

        using (var start = Process.Start(new ProcessStartInfo(Executable, ["-c", Path.Combine(folder, "dovecot.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!)
        {
            await start.WaitForExitAsync();
            if (start.ExitCode != 0)
            {
                throw new InvalidOperationException("dovecot did not start: " + await start.StandardError.ReadToEndAsync());
            }
        }

        var dovecot = new Dovecot(folder, port);
        await dovecot.WaitUntilListeningAsync();
        return dovecot;
    }

    /// <summary>A signed-in client; the caller disposes it.</summary>
    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(UserName, Password);
        return client;
    }

    /// <summary>Puts a mail in a folder (INBOX by default) with IMAP APPEND.</summary>
    public async Task AppendAsync(MimeMessage message, string folder = "INBOX")
    {
        using var client = await ConnectAsync();
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.AppendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>The Message-IDs (or subjects, for mail without one) in a folder; empty when it does not exist.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string folder)
    {
        using var client = await ConnectAsync();
        IMailFolder target;
        try
        {
            target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        }
        catch (FolderNotFoundException)
        {
            return [];
        }

        await target.OpenAsync(FolderAccess.ReadOnly);
        var list = new List<string>();
        for (var i = 0; i < target.Count; i++)
        {
            var headers = await target.GetHeadersAsync(i);
            list.Add(headers[HeaderId.MessageId] ?? headers[HeaderId.Subject] ?? "?");
        }

        await client.DisconnectAsync(true);
        return list;
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(Folder, "run", "master.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try
            {
                using var master = Process.GetProcessById(pid);
                master.Kill(entireProcessTree: true);
                await master.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child still closing a file: the temp folder is cleaned up by the system later.
        }
    }
}
