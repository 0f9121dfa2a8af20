using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;

namespace MailTracker.Core.Accounts;

/// <summary>What went wrong talking to a mail server, in categories a user can act on. The UI words each kind.</summary>
public enum MailConnectionProblemKind
{
    /// <summary>The host name does not resolve (DNS).</summary>
    HostNotFound = 0,

    /// <summary>Nothing listens on that port (connection refused).</summary>
    Refused = 1,

    /// <summary>No answer in time: a firewall, a wrong port, or a security setting that does not match the port.</summary>
    Timeout = 2,

    /// <summary>The TLS handshake failed (plain port with SSL/TLS chosen, an untrusted certificate, …).</summary>
    Tls = 3,

    /// <summary>The server does not offer what the settings need (STARTTLS, authentication).</summary>
    NotOffered = 4,

    /// <summary>The user name or password was refused.</summary>
    Authentication = 5,

    /// <summary>Something answered, but not as a mail server of that kind (wrong port).</summary>
    NotMailServer = 6,

    /// <summary>The server refused a command; its reply is in the detail.</summary>
    ServerRefused = 7,

    /// <summary>The connection broke or the network failed.</summary>
    Network = 8,

    /// <summary>The folder sync needs is missing on the server.</summary>
    FolderMissing = 9,

    /// <summary>The OAuth provider no longer accepts this mailbox's refresh token: the user has to reconnect.</summary>
    ReconnectRequired = 10,
}

/// <summary>A classified failure with the server's or the system's own words as the detail.</summary>
public sealed record MailConnectionProblem(MailConnectionProblemKind Kind, string Detail)
{
    /// <summary>Classifies an exception thrown by MailKit while connecting, signing in or talking to a server.</summary>
    /// <param name="exception">What MailKit (or the socket under it) threw.</param>
    /// <param name="sessionEstablished">
    /// True once the server had greeted and accepted the sign-in: a protocol error after that is a dropped connection
    /// (a BYE, a restart), not a sign that the port belongs to something else.
    /// </param>
    public static MailConnectionProblem From(Exception exception, bool sessionEstablished = false)
    {
        if (sessionEstablished && exception is ImapProtocolException or SmtpProtocolException)
        {
            return new(MailConnectionProblemKind.Network, exception.Message);
        }

        switch (exception)
        {
            case MailboxReconnectRequiredException reconnect:
                return new(MailConnectionProblemKind.ReconnectRequired, reconnect.Message);
            case MailboxTokenUnavailableException token:
                return new(MailConnectionProblemKind.Network, token.Message);
            case SocketException socket:
                return FromSocket(socket);
            case MailKit.Security.AuthenticationException auth:
                return new(MailConnectionProblemKind.Authentication, auth.Message);
            case MailKit.Security.SslHandshakeException tls:
                return new(MailConnectionProblemKind.Tls, Innermost(tls).Message);
            case System.Security.Authentication.AuthenticationException tls:
                return new(MailConnectionProblemKind.Tls, tls.Message);
            case NotSupportedException notSupported:
                return new(MailConnectionProblemKind.NotOffered, notSupported.Message);
            case ImapProtocolException or SmtpProtocolException:
                return new(MailConnectionProblemKind.NotMailServer, exception.Message);
            case ImapCommandException imap:
                return new(MailConnectionProblemKind.ServerRefused, string.IsNullOrWhiteSpace(imap.ResponseText) ? imap.Message : imap.ResponseText);
            case SmtpCommandException smtp:
                return new(MailConnectionProblemKind.ServerRefused, $"{(int)smtp.StatusCode} {smtp.Message}");
            case FolderNotFoundException folder:
                return new(MailConnectionProblemKind.FolderMissing, folder.FolderName);
            case TimeoutException or OperationCanceledException:
                return new(MailConnectionProblemKind.Timeout, exception.Message);
            case IOException { InnerException: SocketException inner }:
                return FromSocket(inner);
            case IOException or ServiceNotConnectedException:
                return new(MailConnectionProblemKind.Network, exception.Message);
            default:
                return new(MailConnectionProblemKind.Network, exception.Message);
        }
    }

    private static MailConnectionProblem FromSocket(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new(MailConnectionProblemKind.HostNotFound, socket.Message),
        SocketError.ConnectionRefused => new(MailConnectionProblemKind.Refused, socket.Message),
        SocketError.TimedOut => new(MailConnectionProblemKind.Timeout, socket.Message),
        _ => new(MailConnectionProblemKind.Network, socket.Message),
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
