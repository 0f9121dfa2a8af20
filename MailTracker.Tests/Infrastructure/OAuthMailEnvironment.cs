using MailTracker.Web.Endpoints;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// The app with a generic OAuth 2.0 mail provider configured, pointing at real parts on loopback: the test OAuth server
/// (<see cref="OAuthServer"/>), and a Dovecot that checks tokens against it for IMAP and for SMTP submission, which
/// relays to the app's own sandbox SMTP server (so sent mail can be looked at in <c>/sandbox</c>).
/// </summary>
public class OAuthMailEnvironment : IAsyncLifetime
{
    public const string ProviderName = "Local OAuth";

    public OAuthMailEnvironment()
        : this(syncWorker: true)
    {
    }

    /// <param name="syncWorker">False leaves syncing to the test (<c>AccountSynchronizer.SyncOnceAsync</c>), with no background loop beside it.</param>
    protected OAuthMailEnvironment(bool syncWorker)
    {
        App.Set("Sync:Enabled", syncWorker ? "true" : "false");
        Dovecot = new DovecotProcess(oauth: new DovecotOAuth(Provider.IntrospectionUrlWithCredentials, App.SandboxPort));
        App.Set("Mailboxes:Generic:ClientId", OAuthServer.ClientId)
            .Set("Mailboxes:Generic:ClientSecret", OAuthServer.ClientSecret)
            .Set("Mailboxes:Generic:DisplayName", ProviderName)
            .Set("Mailboxes:Generic:AuthorizationEndpoint", Provider.AuthorizationEndpoint)
            .Set("Mailboxes:Generic:TokenEndpoint", Provider.TokenEndpoint)
            .Set("Mailboxes:Generic:RevocationEndpoint", Provider.RevocationEndpoint)
            .Set("Mailboxes:Generic:Scopes", OAuthServer.Scopes)
            .Set("Mailboxes:Generic:ImapHost", Dovecot.Host)
            .Set("Mailboxes:Generic:ImapPort", Dovecot.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("Mailboxes:Generic:ImapSecurity", "None")
            .Set("Mailboxes:Generic:SmtpHost", Dovecot.Host)
            .Set("Mailboxes:Generic:SmtpPort", Dovecot.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("Mailboxes:Generic:SmtpSecurity", "None");
    }

    public MailTrackerApp App { get; } = new();

    public OAuthServer Provider { get; } = new();

    public DovecotProcess Dovecot { get; }

    public async Task InitializeAsync()
    {
        await Provider.StartAsync(App.BaseUrl + MailboxOAuthEndpoints.CallbackPath);
        await Dovecot.StartAsync();
        App.Start();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Dovecot.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>The same, without the background sync worker: tests drive each sync pass themselves.</summary>
public sealed class OAuthMailEnvironmentWithoutSyncWorker() : OAuthMailEnvironment(syncWorker: false);
