using MailTracker.Core.Accounts;
using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Components.Pages.Settings;

/// <summary>Words a mail server problem for the person who can fix the settings: what failed and what to check.</summary>
public static class MailProblemText
{
    /// <param name="L">The UI strings.</param>
    /// <param name="protocol">"SMTP" or "IMAP".</param>
    /// <param name="host">The server name as entered.</param>
    /// <param name="port">The port as entered.</param>
    /// <param name="problem">What went wrong.</param>
    public static string Describe(IStringLocalizer<Strings> L, string protocol, string host, int port, MailConnectionProblem problem) => problem.Kind switch
    {
        MailConnectionProblemKind.HostNotFound => L["{0}: the server name “{1}” could not be found (DNS). Check the host name.", protocol, host],
        MailConnectionProblemKind.Refused => L["{0}: {1} refused the connection on port {2}. Check the port number.", protocol, host, port],
        MailConnectionProblemKind.Timeout => L["{0}: {1} did not answer on port {2} in time. Check the host, the port and the security setting.", protocol, host, port],
        MailConnectionProblemKind.Tls => L["{0}: a secure connection (TLS) to {1} on port {2} failed. Check the security setting: SSL/TLS and STARTTLS work only on ports made for them.", protocol, host, port],
        MailConnectionProblemKind.NotOffered => L["{0}: {1} does not offer what these settings need (secure connection or sign-in). Check the security setting.", protocol, host],
        MailConnectionProblemKind.Authentication => L["{0}: the user name or password was not accepted. Check them; some providers need an app password.", protocol],
        MailConnectionProblemKind.NotMailServer => L["{0}: what answers on {1} port {2} is not an {0} server. Check the port number.", protocol, host, port],
        MailConnectionProblemKind.ServerRefused => L["{0}: the server refused a command.", protocol],
        MailConnectionProblemKind.ReconnectRequired => L["{0}: the provider no longer accepts the sign-in. Reconnect the mailbox.", protocol],
        MailConnectionProblemKind.FolderMissing => L["{0}: a folder the sync needs is missing on the server.", protocol],
        _ => L["{0}: the connection to {1} broke off.", protocol, host],
    };
}
