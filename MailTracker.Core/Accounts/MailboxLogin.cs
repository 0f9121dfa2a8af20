using MailKit;
using MailKit.Security;

namespace MailTracker.Core.Accounts;

/// <summary>How a session signs in to a mail server: a password, or an OAuth 2.0 access token.</summary>
public abstract record MailboxLogin(string Username)
{
    public abstract Task SignInAsync(IMailService client, CancellationToken cancellationToken);
}

/// <summary>User name and password; MailKit picks the best mechanism the server offers.</summary>
public sealed record PasswordLogin(string Username, string Password) : MailboxLogin(Username)
{
    public override Task SignInAsync(IMailService client, CancellationToken cancellationToken) =>
        client.AuthenticateAsync(Username, Password, cancellationToken);

    // Never print the password.
    public override string ToString() => $"PasswordLogin {{ Username = {Username} }}";
}

/// <summary>
/// An access token over SASL: OAUTHBEARER (RFC 7628) where the server offers it, else XOAUTH2 (Google's and Microsoft's
/// own mechanism, which both offer).
/// </summary>
public sealed record TokenLogin(string Username, string AccessToken) : MailboxLogin(Username)
{
    public override Task SignInAsync(IMailService client, CancellationToken cancellationToken)
    {
        SaslMechanism mechanism = client.AuthenticationMechanisms.Contains("OAUTHBEARER") && !client.AuthenticationMechanisms.Contains("XOAUTH2")
            ? new SaslMechanismOAuthBearer(Username, AccessToken)
            : new SaslMechanismOAuth2(Username, AccessToken);
        return client.AuthenticateAsync(mechanism, cancellationToken);
    }

    // Never print the token.
    public override string ToString() => $"TokenLogin {{ Username = {Username} }}";
}

/// <summary>The provider no longer accepts the mailbox's refresh token; only the user can mend it by reconnecting.</summary>
public sealed class MailboxReconnectRequiredException(string message) : Exception(message);

/// <summary>A new access token could not be had just now (the provider unreachable or failing); worth a later retry.</summary>
public sealed class MailboxTokenUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
