using MailKit;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Accounts;

/// <summary>
/// The one place that knows how a stored mailbox signs in, shared by the sync (<c>ImapConnector</c>) and the outbox
/// (<c>SmtpMailSender</c>). For OAuth mailboxes it hands out an access token, renewing it shortly before it expires
/// (<c>Mailboxes:RefreshBeforeExpirySeconds</c>) or when a server just refused it. Only one app instance renews a
/// mailbox's token at a time (a short lease on its row, taken by a conditional UPDATE); the others wait for the new
/// token, so a provider that rotates refresh tokens never sees the old one twice. A refresh token the provider refuses
/// puts the mailbox in <see cref="MailAccount.NeedsReconnect"/>: sync stops, the outbox holds its mail, the page says so.
/// </summary>
public sealed partial class MailboxCredentials(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    MailboxSecrets secrets,
    MailboxOAuthProviders providers,
    OAuthTokenClient tokens,
    IUserPush push,
    IOptions<MailboxOAuthOptions> options,
    TimeProvider time,
    ILogger<MailboxCredentials> logger)
{
    private static readonly TimeSpan RefreshLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LeaseCheck = TimeSpan.FromMilliseconds(200);

    /// <summary>Signs <paramref name="client"/> in as <paramref name="account"/>; an OAuth mailbox whose token is refused once gets a fresh one and a second try.</summary>
    /// <returns>False when the mailbox has no sign-in for this protocol (an SMTP relay without password).</returns>
    public async Task<bool> SignInAsync(IMailService client, MailAccount account, MailProtocol protocol, CancellationToken cancellationToken)
    {
        var login = await LoginAsync(account, protocol, null, cancellationToken);
        if (login is null)
        {
            return false;
        }

        try
        {
            await login.SignInAsync(client, cancellationToken);
        }
        catch (MailKit.Security.AuthenticationException) when (login is TokenLogin refused)
        {
            // Revoked early, or our clock and the provider's disagree: one fresh token, then give up as usual.
            LogTokenRefused(account.Id, protocol);
            login = await LoginAsync(account, protocol, refused.AccessToken, cancellationToken);
            await login!.SignInAsync(client, cancellationToken);
        }

        return true;
    }

    /// <summary>The sign-in for one protocol of a stored mailbox; null when that side needs none.</summary>
    /// <param name="refusedAccessToken">A token a server just refused: renew it unless another instance already did.</param>
    public async Task<MailboxLogin?> LoginAsync(MailAccount account, MailProtocol protocol, string? refusedAccessToken, CancellationToken cancellationToken)
    {
        if (!account.UsesOAuth)
        {
            return protocol switch
            {
                MailProtocol.Imap when account.ImapPasswordProtected is not null => new PasswordLogin(account.ImapUsername, secrets.Unprotect(account.ImapPasswordProtected)),
                MailProtocol.Smtp when account.SmtpPasswordProtected is not null && account.SmtpUsername.Length > 0 => new PasswordLogin(account.SmtpUsername, secrets.Unprotect(account.SmtpPasswordProtected)),
                _ => null,
            };
        }

        var username = protocol == MailProtocol.Imap ? account.ImapUsername : account.SmtpUsername;
        return new TokenLogin(username, await AccessTokenAsync(account.Id, refusedAccessToken, cancellationToken));
    }

    /// <summary>A valid access token for an OAuth mailbox, renewed here or by another instance when needed.</summary>
    public async Task<string> AccessTokenAsync(int accountId, string? refusedAccessToken, CancellationToken cancellationToken)
    {
        var margin = TimeSpan.FromSeconds(options.Value.RefreshBeforeExpirySeconds);
        var waitUntil = time.GetUtcNow().UtcDateTime + RefreshLease + RefreshLease;
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var account = await db.MailAccounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken)
                ?? throw new InvalidOperationException($"Mailbox {accountId} does not exist.");
            if (account.OAuthRefreshTokenProtected is null)
            {
                throw new InvalidOperationException($"Mailbox {accountId} does not sign in with OAuth.");
            }

            if (account.NeedsReconnect)
            {
                throw new MailboxReconnectRequiredException(account.ReconnectReason!);
            }

            var now = time.GetUtcNow().UtcDateTime;
            var current = account.OAuthAccessTokenProtected is null ? null : secrets.Unprotect(account.OAuthAccessTokenProtected);
            if (current is not null && current != refusedAccessToken && account.OAuthAccessTokenExpiresAt - margin > now)
            {
                return current;
            }

            // Only while the row still holds the token we just judged: another instance may have renewed it (and released
            // its lease) since we read it, and a second refresh would present a rotated-away refresh token.
            var leaseUntil = now + RefreshLease;
            var seenAccessToken = account.OAuthAccessTokenProtected;
            var claimed = await db.MailAccounts
                .Where(a => a.Id == accountId && (a.TokenRefreshLeaseUntil == null || a.TokenRefreshLeaseUntil < now)
                            && a.OAuthAccessTokenProtected == seenAccessToken && a.ReconnectReason == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.TokenRefreshLeaseUntil, leaseUntil), cancellationToken) == 1;
            if (claimed)
            {
                // Known to the tracked row, so that clearing it below is written.
                db.Entry(account).Property(a => a.TokenRefreshLeaseUntil).OriginalValue = leaseUntil;
                return await RefreshAsync(db, account, cancellationToken);
            }

            if (now > waitUntil)
            {
                throw new MailboxTokenUnavailableException("Another instance is still renewing this mailbox's access token.");
            }

            // Another instance is renewing it; its new token will be in the row within moments.
            await Task.Delay(LeaseCheck, time, cancellationToken);
        }
    }

    private async Task<string> RefreshAsync(MailTrackerDbContext db, MailAccount account, CancellationToken cancellationToken)
    {
        var provider = providers.Find(account.OAuthProvider);
        OAuthTokenResult result;
        if (provider is null)
        {
            result = new OAuthTokenResult(null, true, $"The {account.OAuthProvider} provider is no longer configured on this server.");
        }
        else
        {
            try
            {
                result = await tokens.RefreshAsync(provider, secrets.Unprotect(account.OAuthRefreshTokenProtected!), cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                result = new OAuthTokenResult(null, false, ex.Message);
            }
        }

        // The outcome is stored even when the caller is stopping: a rotated refresh token must not be lost.
        if (result.Tokens is { } renewed)
        {
            account.StoreAccessToken(secrets.Protect(renewed.AccessToken), renewed.ExpiresAt,
                renewed.RefreshToken is null ? null : secrets.Protect(renewed.RefreshToken));
            await db.SaveChangesAsync(CancellationToken.None);
            LogRenewed(account.Id, renewed.ExpiresAt);
            return renewed.AccessToken;
        }

        if (result.Rejected)
        {
            account.ReconnectReason = result.Error ?? "The provider refused the refresh token.";
            account.OAuthAccessTokenProtected = null;
            account.OAuthAccessTokenExpiresAt = null;
            account.TokenRefreshLeaseUntil = null;
            await db.SaveChangesAsync(CancellationToken.None);
            LogReconnectRequired(account.Id, account.OAuthProvider!, account.ReconnectReason);
            await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Sync, null, null), CancellationToken.None);
            throw new MailboxReconnectRequiredException(account.ReconnectReason);
        }

        account.TokenRefreshLeaseUntil = null;
        await db.SaveChangesAsync(CancellationToken.None);
        LogRefreshFailed(account.Id, result.Error ?? "");
        throw new MailboxTokenUnavailableException($"The access token could not be renewed: {result.Error}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox {AccountId}: access token renewed, valid until {ExpiresAt:o}")]
    private partial void LogRenewed(int accountId, DateTime expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox {AccountId}: the {Protocol} server refused the access token; renewing it")]
    private partial void LogTokenRefused(int accountId, MailProtocol protocol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: the {Provider} provider refused the refresh token ({Reason}); the user must reconnect")]
    private partial void LogReconnectRequired(int accountId, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: the access token could not be renewed ({Reason}); will try again")]
    private partial void LogRefreshFailed(int accountId, string reason);
}

/// <summary>Which server of a mailbox a sign-in is for.</summary>
public enum MailProtocol
{
    Imap = 0,
    Smtp = 1,
}
