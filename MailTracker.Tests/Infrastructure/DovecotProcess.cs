using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// A real Dovecot IMAP server (Debian's <c>dovecot-imapd</c>) run from a config in a temp folder: loopback only, a free
/// port, one password for every user, Maildirs, runtime, state and log all inside that folder, plain authentication without
/// TLS. Started with <c>dovecot -F -c FILE</c> as root (Dovecot drops to its own users; mail is owned by nobody) and
/// stopped by the PID in its <c>master.pid</c>. Shared by the tests and <c>bench/</c>, so it needs no xunit.
/// </summary>
public class DovecotProcess : IAsyncDisposable
{
    public const string DefaultPassword = "imap-secret";

    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-dovecot-").FullName;
    private readonly bool _idle;
    private readonly DovecotOAuth? _oauth;
    private Process? _process;

    /// <param name="idle">False hides IDLE from the capabilities, like servers that only support polling.</param>
    /// <param name="oauth">
    /// Also accept XOAUTH2 and OAUTHBEARER, checking each token by introspection at an OAuth server (Dovecot's
    /// <c>oauth2</c> passdb), and run Dovecot's SMTP submission service with the same sign-in, relaying to an SMTP server.
    /// </param>
    public DovecotProcess(bool idle = true, DovecotOAuth? oauth = null)
    {
        _idle = idle;
        _oauth = oauth;
        Port = FreePort.Next();
        SubmissionPort = oauth is null ? 0 : FreePort.Next();
    }

    /// <summary>Dovecot's SMTP submission port (only with OAuth): sign in with a token, and mail is relayed on.</summary>
    public int SubmissionPort { get; }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string ConfigPath => Path.Combine(_folder, "dovecot.conf");

    public string LogPath => Path.Combine(_folder, "dovecot.log");

    private string OAuthConfigPath => Path.Combine(_folder, "dovecot-oauth2.conf.ext");

    public async Task StartAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Dovecot fixture runs Debian's dovecot-imapd on Linux.");
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("Dovecot is started as root (it drops privileges itself); run the tests as root, as .ci/run does.");
        }

        // Dovecot's own users (dovecot, dovenull) and the mail user (nobody) need to reach their parts of the folder.
        File.SetUnixFileMode(_folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var mail = Directory.CreateDirectory(Path.Combine(_folder, "mail")).FullName;
        File.SetUnixFileMode(mail, (UnixFileMode)Convert.ToInt32("777", 8));
        Directory.CreateDirectory(Path.Combine(_folder, "state"));
        await File.WriteAllTextAsync(ConfigPath, Config(mail));
        if (_oauth is not null)
        {
            // Tokens are checked by POSTing them to the introspection endpoint (RFC 7662); the subject is the user name.
            await File.WriteAllTextAsync(OAuthConfigPath, $"""
                introspection_mode = post
                introspection_url = {_oauth.IntrospectionUrl}
                username_attribute = sub
                active_attribute = active
                active_value = true

                """);
        }

        _process = Process.Start(new ProcessStartInfo("/usr/sbin/dovecot", ["-F", "-c", ConfigPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dovecot did not start.");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await AcceptsConnectionsAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "";
                var stderr = _process.HasExited ? await _process.StandardError.ReadToEndAsync() : "";
                throw new InvalidOperationException($"Dovecot did not start listening on {Host}:{Port}.\n{stderr}\n{log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Sets a user up: every user signs in with <see cref="DefaultPassword"/> (a static passdb, so no user list for
    /// Dovecot to re-read), and the first sign-in creates the Maildir with an empty inbox and, normally, a Sent folder.
    /// </summary>
    public async Task<string> AddUserAsync(string email, bool sentFolder = true)
    {
        using var client = await ConnectAsync(email);
        if (sentFolder)
        {
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Sent", isMessageFolder: true);
        }

        await client.DisconnectAsync(true);
        return email;
    }

    public async Task<ImapClient> ConnectAsync(string email)
    {
        var client = new ImapClient { Timeout = 30_000 };
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(email, DefaultPassword);
        return client;
    }

    /// <summary>Delivers a message into a folder by IMAP APPEND and returns its UID.</summary>
    public async Task<UniqueId?> AppendAsync(string email, MimeMessage message, string folder = "INBOX", bool seen = false, DateTimeOffset? received = null)
    {
        using var client = await ConnectAsync(email);
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        var request = new AppendRequest(message, seen ? MessageFlags.Seen : MessageFlags.None) { InternalDate = received ?? message.Date };
        var uid = await target.AppendAsync(request);
        await client.DisconnectAsync(true);
        return uid;
    }

    /// <summary>Whether the first message in the inbox whose subject contains <paramref name="subject"/> is \Seen.</summary>
    public async Task<bool> IsSeenAsync(string email, string subject)
    {
        using var client = await ConnectAsync(email);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uid = (await client.Inbox.SearchAsync(SearchQuery.SubjectContains(subject))).Single();
        var summary = (await client.Inbox.FetchAsync([uid], MessageSummaryItems.Flags)).Single();
        return summary.Flags!.Value.HasFlag(MessageFlags.Seen);
    }

    /// <summary>The message as stored on the server, or null when there is none with that subject.</summary>
    public async Task<StoredMail?> FindAsync(string email, string folder, string subject)
    {
        using var client = await ConnectAsync(email);
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var uids = await target.SearchAsync(SearchQuery.SubjectContains(subject));
        if (uids.Count == 0)
        {
            return null;
        }

        var message = await target.GetMessageAsync(uids[0]);
        var flags = (await target.FetchAsync([uids[0]], MessageSummaryItems.Flags)).Single().Flags ?? MessageFlags.None;
        return new StoredMail(message, flags.HasFlag(MessageFlags.Seen));
    }

    /// <summary>Deletes the messages whose subject contains <paramref name="subject"/>, as a mail client would (\Deleted, EXPUNGE).</summary>
    public async Task DeleteAsync(string email, string folder, string subject)
    {
        using var client = await ConnectAsync(email);
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadWrite);
        var uids = await target.SearchAsync(SearchQuery.SubjectContains(subject));
        if (uids.Count == 0)
        {
            throw new InvalidOperationException($"No message with “{subject}” in {folder} of {email}.");
        }

        await target.AddFlagsAsync(uids, MessageFlags.Deleted, silent: true);
        await target.ExpungeAsync();
        await client.DisconnectAsync(true);
    }

    public async Task<int> CountAsync(string email, string folder)
    {
        using var client = await ConnectAsync(email);
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        return target.Count;
    }

    /// <summary>Runs <c>doveadm</c> against this server's configuration (e.g. to change a folder's UIDVALIDITY).</summary>
    public async Task DoveadmAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/doveadm", ["-c", ConfigPath, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"doveadm {string.Join(' ', arguments)} failed: {error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_process is { HasExited: false })
        {
            var pidFile = Path.Combine(_folder, "run", "master.pid");
            if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid) && pid == _process.Id)
            {
                _ = Kill(pid, Sigterm);
            }

            try
            {
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A child still closing a file; the OS cleans temp folders.
        }
    }

    private string Config(string mail)
    {
        var config = new StringBuilder($$"""
            base_dir = {{_folder}}/run
            state_dir = {{_folder}}/state
            log_path = {{LogPath}}
            protocols = imap{{(_oauth is null ? "" : " submission")}}
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login{{(_oauth is null ? "" : " " + _oauth.Mechanisms)}}
            # Tests try wrong passwords on purpose: no 2 s delay per failure, no growing penalty per client address.
            auth_failure_delay = 0
            mail_location = maildir:{{mail}}/%u
            first_valid_uid = 1
            # One password for every user: a test adds users while others are signed in, and Dovecot notices a changed
            # passwd-file only once a second.
            passdb {
              driver = static
              args = password={{DefaultPassword}}
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{mail}}/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              unix_listener anvil-auth-penalty {
                mode = 0
              }
            }
            namespace inbox {
              inbox = yes
              separator = /
              mailbox Sent {
                special_use = \Sent
              }
            }

            """);
        if (_oauth is not null)
        {
            config.Append($$"""
                # Tokens (XOAUTH2, OAUTHBEARER) go to the OAuth server; passwords stay with the static passdb above.
                passdb {
                  driver = oauth2
                  mechanisms = {{_oauth.Mechanisms}}
                  args = {{OAuthConfigPath}}
                }
                hostname = localhost
                submission_relay_host = 127.0.0.1
                submission_relay_port = {{_oauth.RelayPort}}
                submission_relay_trusted = yes
                submission_relay_ssl = no
                service submission-login {
                  inet_listener submission {
                    address = 127.0.0.1
                    port = {{SubmissionPort}}
                  }
                }

                """);
        }

        if (!_idle)
        {
            config.AppendLine("imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS NAMESPACE SPECIAL-USE");
        }

        return config.ToString();
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(Host, Port);
            var buffer = new byte[64];
            var read = await tcp.GetStream().ReadAsync(buffer);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("* OK", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>Where Dovecot checks OAuth tokens (an RFC 7662 introspection URL with client credentials) and where submission relays mail.</summary>
/// <param name="Mechanisms">The token mechanisms offered (Dovecot's names), e.g. only <c>oauthbearer</c>.</param>
public sealed record DovecotOAuth(string IntrospectionUrl, int RelayPort, string Mechanisms = "xoauth2 oauthbearer");

/// <summary>A message as the IMAP server holds it.</summary>
public sealed record StoredMail(MimeMessage Message, bool Seen)
{
    public string HtmlBody => Message.HtmlBody ?? "";
}
