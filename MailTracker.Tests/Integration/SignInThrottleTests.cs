using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>
/// Beside the per-account lockout (LockoutTests), sign-in posts are throttled per client address: one address trying
/// passwords across many accounts is refused with a clear message, and the refused posts touch no account.
/// </summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private readonly MailTrackerApp _app = new MailTrackerApp().Set("SignIn:AttemptsPerMinutePerAddress", "3");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task OneAddressGuessingAcrossAccountsIsRefusedPastTheLimitAndLocksNobodyOut()
    {
        foreach (var email in new[] { "ann@throttle.test", "ben@throttle.test", "cat@throttle.test", "dan@throttle.test" })
        {
            await _app.CreateUserAsync(email, role: Roles.User);
        }

        using var client = SignInForm.NewClient(_app);
        foreach (var email in new[] { "ann@throttle.test", "ben@throttle.test", "cat@throttle.test" })
        {
            var wrong = await SignInForm.PostAsync(client, email, "Wrong1!");
            Assert.Contains("Wrong email or password.", await wrong.Content.ReadAsStringAsync());
        }

        var refused = await SignInForm.PostAsync(client, "dan@throttle.test", TestUsers.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("Too many sign-in attempts from your address. Wait a minute, then try again.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.DoesNotContain(refused.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("MailTracker.Auth=", StringComparison.Ordinal)));
        await using var db = await _app.DbAsync();
        var dan = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "dan@throttle.test");
        Assert.Equal((0, (DateTimeOffset?)null), (dan.AccessFailedCount, dan.LockoutEnd));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
    }
}
