using System.Net;
using MailKit.Net.Smtp;
using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Core.Sync;
using MailTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace MailTracker.Tests.Accounts;

/// <summary>Tokens from the test OAuth server sign in to Dovecot's IMAP and SMTP submission, checked there by introspection.</summary>
public sealed class OAuthSignInTests(OAuthMailEnvironment env) : IClassFixture<OAuthMailEnvironment>
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
        await env.Provider.RevokeEverythingAsync();
        var afterRevoke = await env.App.Service<MailboxConnectionTester>().TestAsync(settings, login, login);
        Assert.Equal(MailConnectionProblemKind.Authentication, afterRevoke.Imap?.Kind);
        Assert.Equal(MailConnectionProblemKind.Authentication, afterRevoke.Smtp?.Kind);
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
