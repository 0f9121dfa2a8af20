using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Sync;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MailTracker.Core.Accounts;

/// <summary>A field of <see cref="MailboxSettings"/> that is missing or not valid; the UI words it.</summary>
public enum MailboxField
{
    EmailAddress = 0,
    SmtpHost = 1,
    SmtpPort = 2,
    ImapHost = 3,
    ImapPort = 4,
    ImapPassword = 5,
}

/// <summary>The outcome of Connect: fields to fix, or the connection test (saved only when both sides worked).</summary>
public sealed record ConnectResult(IReadOnlyList<MailboxField> Invalid, ConnectionTestResult? Test)
{
    public bool Connected => Invalid.Count == 0 && Test is { Succeeded: true };
}

/// <summary>How far one folder has been synced, for the settings page.</summary>
public sealed record FolderSyncStatus(
    MailFolder Folder,
    string? ServerName,
    bool InitialSyncDone,
    int InitialTotal,
    int InitialStored,
    DateTime? LastSyncAt,
    MailConnectionProblemKind? LastErrorKind,
    string? LastError,
    DateTime? LastErrorAt);

/// <summary>The user's mailbox as the settings page shows it: never a password.</summary>
public sealed record MailboxView(
    int AccountId,
    bool IsSandbox,
    string EmailAddress,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    string SmtpUsername,
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    string ImapUsername,
    bool AppendToSentFolder,
    DateTime? ConnectedAt,
    IReadOnlyList<FolderSyncStatus> Folders)
{
    /// <summary>The OAuth provider's key (<c>google</c>, …) when the mailbox signs in with tokens.</summary>
    public string? OAuthProvider { get; init; }

    /// <summary>The provider as users know it (<c>Google</c>, <c>Microsoft 365</c>).</summary>
    public string? ProviderName { get; init; }

    /// <summary>Set when the provider stopped accepting the sign-in and the user must reconnect; the provider's words.</summary>
    public string? ReconnectReason { get; init; }
}

/// <summary>
/// Connecting a user's real mailbox and going back to the sandbox. Settings are saved only after both SMTP and IMAP
/// worked with them; passwords are stored protected and never handed out again.
/// </summary>
public sealed class MailboxConnections(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    MailboxConnectionTester tester,
    MailboxSecrets secrets,
    MailSyncSignal signal,
    OutboxSignal outbox,
    MailboxOAuthProviders providers,
    OAuthTokenClient tokens,
    TimeProvider time)
{
    public async Task<MailboxView?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userId, cancellationToken);
        if (account is null)
        {
            return null;
        }

        var folders = await db.FolderSyncStates.AsNoTracking().Where(s => s.MailAccountId == account.Id).OrderBy(s => s.Folder)
            .Select(s => new FolderSyncStatus(s.Folder, s.ServerName, s.InitialSyncDone, s.InitialTotal, s.InitialStored, s.LastSyncAt, s.LastErrorKind, s.LastError, s.LastErrorAt))
            .ToListAsync(cancellationToken);
        return new MailboxView(account.Id, account.IsSandbox, account.EmailAddress, account.SmtpHost, account.SmtpPort, account.SmtpSecurity,
            account.SmtpUsername, account.ImapHost, account.ImapPort, account.ImapSecurity, account.ImapUsername, account.AppendToSentFolder,
            account.ConnectedAt, folders)
        {
            OAuthProvider = account.OAuthProvider,
            ProviderName = account.OAuthProvider is null ? null : providers.Find(account.OAuthProvider)?.DisplayName ?? account.OAuthProvider,
            ReconnectReason = account.ReconnectReason,
        };
    }

    /// <summary>
    /// Saves a mailbox connected through <paramref name="provider"/> with tokens whose IMAP and SMTP sign-ins were just
    /// tested. Reconnecting the same address keeps its sync state; queued mail goes out at once.
    /// </summary>
    public async Task ConnectOAuthAsync(string userId, MailboxOAuthProvider provider, string emailAddress, OAuthTokens issued, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userId, cancellationToken)
            ?? throw new InvalidOperationException($"User {userId} has no mailbox.");
        var sameMailbox = !account.IsSandbox && account.OAuthProvider == provider.Key
            && string.Equals(account.EmailAddress, emailAddress, StringComparison.OrdinalIgnoreCase)
            && account.ImapHost == provider.ImapHost && account.ImapPort == provider.ImapPort;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!sameMailbox)
        {
            await ForgetSyncAsync(db, account.Id, cancellationToken);
        }

        var connectedAt = sameMailbox && account.ConnectedAt is { } earlier ? earlier : time.GetUtcNow().UtcDateTime;
        account.ConnectOAuth(provider.Key, emailAddress, provider.ImapHost, provider.ImapPort, provider.ImapSecurity,
            provider.SmtpHost, provider.SmtpPort, provider.SmtpSecurity, !provider.ProviderSavesSentMail,
            secrets.Protect(issued.RefreshToken!), secrets.Protect(issued.AccessToken), issued.ExpiresAt, connectedAt);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.AccountsChanged();
        outbox.Notify();
    }

    /// <summary>Checks the fields, tests both servers, and only then saves and starts the sync.</summary>
    public async Task<ConnectResult> ConnectAsync(string userId, MailboxSettings settings, CancellationToken cancellationToken = default)
    {
        var invalid = Validate(settings);
        if (invalid.Count > 0)
        {
            return new ConnectResult(invalid, null);
        }

        var test = await tester.TestAsync(settings, cancellationToken);
        if (!test.Succeeded)
        {
            return new ConnectResult([], test);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userId, cancellationToken)
            ?? throw new InvalidOperationException($"User {userId} has no mailbox.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ForgetSyncAsync(db, account.Id, cancellationToken);
        account.Connect(
            settings,
            string.IsNullOrEmpty(settings.SmtpPassword) ? null : secrets.Protect(settings.SmtpPassword),
            secrets.Protect(settings.ImapPassword),
            time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.AccountsChanged();
        return new ConnectResult([], test);
    }

    /// <summary>Back to the sandbox: sending goes to the built-in server again, sync stops, the synced mail stays.</summary>
    public async Task<bool> DisconnectAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userId, cancellationToken);
        if (account is null || account.IsSandbox)
        {
            return false;
        }

        if (account.UsesOAuth && account.OAuthRefreshTokenProtected is not null && providers.Find(account.OAuthProvider) is { } provider)
        {
            // Revoke what the provider lets us revoke; forgetting the tokens below happens whatever it answers.
            try
            {
                await tokens.RevokeAsync(provider, secrets.Unprotect(account.OAuthRefreshTokenProtected), cancellationToken);
            }
            catch (HttpRequestException)
            {
                // The provider is unreachable: the grant stays listed in the user's account there until they remove it.
            }
        }

        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ForgetSyncAsync(db, account.Id, cancellationToken);
        account.Disconnect(email ?? account.EmailAddress);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.AccountsChanged();
        return true;
    }

    public async Task SetAppendToSentFolderAsync(string userId, bool append, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userId, cancellationToken);
        if (account is null || account.IsSandbox)
        {
            return;
        }

        account.AppendToSentFolder = append;
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake(account.Id);
    }

    public static IReadOnlyList<MailboxField> Validate(MailboxSettings settings)
    {
        var invalid = new List<MailboxField>();
        if (!MailboxAddress.TryParse(settings.EmailAddress?.Trim() ?? "", out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
        {
            invalid.Add(MailboxField.EmailAddress);
        }

        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            invalid.Add(MailboxField.SmtpHost);
        }

        if (settings.SmtpPort is < 1 or > 65535)
        {
            invalid.Add(MailboxField.SmtpPort);
        }

        if (string.IsNullOrWhiteSpace(settings.ImapHost))
        {
            invalid.Add(MailboxField.ImapHost);
        }

        if (settings.ImapPort is < 1 or > 65535)
        {
            invalid.Add(MailboxField.ImapPort);
        }

        if (string.IsNullOrEmpty(settings.ImapPassword))
        {
            invalid.Add(MailboxField.ImapPassword);
        }

        return invalid;
    }

    // The same choice the outbox makes when sending: the real mailbox if there is one, else the sandbox.
    private static Task<MailAccount?> FindAsync(MailTrackerDbContext db, string userId, CancellationToken cancellationToken) =>
        db.MailAccounts.Where(a => a.OwnerId == userId).OrderBy(a => a.IsSandbox).ThenBy(a => a.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>UIDs belong to one server's folder; a different (or no) server makes them meaningless. Mail is kept.</summary>
    private static async Task ForgetSyncAsync(MailTrackerDbContext db, int accountId, CancellationToken cancellationToken)
    {
        await db.FolderSyncStates.Where(s => s.MailAccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.Messages.Where(m => m.MailAccountId == accountId && (m.ImapUid != null || m.SeenChangePending))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ImapUid, (long?)null).SetProperty(m => m.ImapUidValidity, (long?)null).SetProperty(m => m.SeenChangePending, false), cancellationToken);
    }
}
