using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Sync;
using MailTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Accounts;

/// <summary>Tokens from the test OAuth server sign in to Dovecot's IMAP and SMTP submission, checked there by introspection.</summary>
public sealed class OAuthSignInTests(OAuthMailEnvironmentWithoutSyncWorker env) : IClassFixture<OAuthMailEnvironmentWithoutSyncWorker>
{
    [Fact]
    public async Task AnAccessTokenSignsInToImapAndSmtpAndARevokedOneDoesNot()
    {
        const string email = "token.user@example.com";
        await env.Dovecot.AddUserAsync(email);
        var tokens = await IssueAsync(email);
        var login = new TokenLogin(email, tokens.AccessToken);
        var settings = new MailboxSettings
        {
            EmailAddress = email, ImapHost = env.Dovecot.Host, ImapPort = env.Dovecot.Port, ImapSecurity = MailSecurity.None,
            SmtpHost = env.Dovecot.Host, SmtpPort = env.Dovecot.SubmissionPort, SmtpSecurity = MailSecurity.None,
        };

        var test = await env.App.Service<MailboxConnectionTester>().TestAsync(settings, login, login);

        Assert.True(test.Succeeded, $"{test}");
        await env.Provider.RevokeEverythingAsync(email);
        var afterRevoke = await env.App.Service<MailboxConnectionTester>().TestAsync(settings, login, login);
        Assert.Equal(MailConnectionProblemKind.Authentication, afterRevoke.Imap?.Kind);
        Assert.Equal(MailConnectionProblemKind.Authentication, afterRevoke.Smtp?.Kind);
    }

    [Fact]
    public async Task ServersOfferingOnlyOAuthBearerAreSignedInWithIt()
    {
        const string email = "bearer.user@example.com";
        await using var bearerOnly = new DovecotProcess(oauth: new DovecotOAuth(env.Provider.IntrospectionUrlWithCredentials, env.App.SandboxPort, "oauthbearer"));
        await bearerOnly.StartAsync();
        await bearerOnly.AddUserAsync(email);
        var login = new TokenLogin(email, (await IssueAsync(email)).AccessToken);
        var settings = new MailboxSettings
        {
            EmailAddress = email, ImapHost = bearerOnly.Host, ImapPort = bearerOnly.Port, ImapSecurity = MailSecurity.None,
            SmtpHost = bearerOnly.Host, SmtpPort = bearerOnly.SubmissionPort, SmtpSecurity = MailSecurity.None,
        };

        var test = await env.App.Service<MailboxConnectionTester>().TestAsync(settings, login, login);

        Assert.True(test.Succeeded, $"{test}");
    }

    [Fact]
    public async Task AnExpiredAccessTokenIsRenewedOnceWhenSeveralInstancesNeedItAtOnce()
    {
        const string email = "many.instances@example.com";
        await env.Dovecot.AddUserAsync(email);
        var user = await env.App.CreateUserAsync(email);
        var provider = env.App.Service<MailboxOAuthProviders>().Find(MailboxOAuthProviders.Generic)!;
        await env.App.Service<MailboxConnections>().ConnectOAuthAsync(user.Id, provider, email, await IssueAsync(email));
        await using (var db = await env.App.DbAsync())
        {
            // The access token's time is up, as far as the app can tell.
            await db.MailAccounts.Where(a => a.OwnerId == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.OAuthAccessTokenExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        var accountId = await AccountIdAsync(user.Id);
        var refreshes = env.Provider.RefreshGrants;
        // Four instances' credentials services on one database (each its own object, as in separate processes).
        var instances = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<MailboxCredentials>(env.App.Services)).ToList();
        var tokens = await Task.WhenAll(instances.Select(c => c.AccessTokenAsync(accountId, null, CancellationToken.None)));

        Assert.Equal(refreshes + 1, env.Provider.RefreshGrants);
        Assert.Single(tokens.Distinct());
        var login = new TokenLogin(email, tokens[0]);
        var settings = new MailboxSettings
        {
            EmailAddress = email, ImapHost = env.Dovecot.Host, ImapPort = env.Dovecot.Port, ImapSecurity = MailSecurity.None,
            SmtpHost = env.Dovecot.Host, SmtpPort = env.Dovecot.SubmissionPort, SmtpSecurity = MailSecurity.None,
        };
        Assert.True((await env.App.Service<MailboxConnectionTester>().TestAsync(settings, login, login)).Succeeded);
    }

    [Fact]
    public async Task TheSyncRenewsARefusedTokenAndStopsForReconnectionWhenTheGrantIsRevoked()
    {
        const string email = "sync.user@example.com";
        await env.Dovecot.AddUserAsync(email);
        await env.Dovecot.AppendAsync(email, TestMessages.Create("Synced with a renewed token", to: email));
        var user = await env.App.CreateUserAsync(email);
        var provider = env.App.Service<MailboxOAuthProviders>().Find(MailboxOAuthProviders.Generic)!;
        await env.App.Service<MailboxConnections>().ConnectOAuthAsync(user.Id, provider, email, await IssueAsync(email));
        var accountId = await AccountIdAsync(user.Id);
        var sync = env.App.Service<AccountSynchronizer>();

        await env.Provider.ExpireAccessTokensAsync(email);
        var refreshes = env.Provider.RefreshGrants;
        await sync.SyncOnceAsync(accountId, CancellationToken.None);

        Assert.True(env.Provider.RefreshGrants > refreshes);
        await using (var db = await env.App.DbAsync())
        {
            Assert.True(await db.Messages.AnyAsync(m => m.MailAccountId == accountId && m.Subject == "Synced with a renewed token"));
        }

        await env.Provider.RevokeEverythingAsync(email);
        await Assert.ThrowsAsync<MailboxReconnectRequiredException>(() => sync.SyncOnceAsync(accountId, CancellationToken.None));
        await using (var db = await env.App.DbAsync())
        {
            var account = await db.MailAccounts.AsNoTracking().SingleAsync(a => a.Id == accountId);
            Assert.True(account.NeedsReconnect);
            Assert.False(account.SyncsOverImap);
            Assert.Contains("invalid_grant", account.ReconnectReason);
        }
    }

    private async Task<int> AccountIdAsync(string userId)
    {
        await using var db = await env.App.DbAsync();
        return await db.MailAccounts.Where(a => a.OwnerId == userId).Select(a => a.Id).SingleAsync();
    }

    /// <summary>The authorization code flow as a browser would run it (consent answered with a form post), then the code redeemed.</summary>
    private async Task<OAuthTokens> IssueAsync(string email)
    {
        env.Provider.User = email;
        var provider = env.App.Service<MailboxOAuthProviders>().Find(MailboxOAuthProviders.Generic)!;
        var redirect = env.App.BaseUrl + Web.Endpoints.MailboxOAuthEndpoints.CallbackPath;
        var request = OAuthTokenClient.CreateAuthorizationRequest(provider, redirect, null);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var query = QueryHelpers.ParseQuery(new Uri(request.Url).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        query["decision"] = "allow";
        using var answer = await http.PostAsync(env.Provider.AuthorizationEndpoint, new FormUrlEncodedContent(query));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var code = QueryHelpers.ParseQuery(answer.Headers.Location!.Query)["code"].ToString();
        var redeemed = await env.App.Service<OAuthTokenClient>().RedeemCodeAsync(provider, code, redirect, request.CodeVerifier, CancellationToken.None);
        Assert.NotNull(redeemed.Tokens);
        return redeemed.Tokens;
    }
}
