using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>Sign-in throttles guessing: five wrong passwords lock the account for five minutes, and the page says so.</summary>
public sealed class LockoutTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        await app.CreateUserAsync("guessed@lockout.test", name: "Guessed", role: Roles.User);
        using var client = SignInForm.NewClient(app);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await SignInForm.PostAsync(client, "guessed@lockout.test", $"Wrong{attempt}!");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Wrong email or password.", await wrong.Content.ReadAsStringAsync());
        }

        var fifth = await SignInForm.PostAsync(client, "guessed@lockout.test", "Wrong5!");
        Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
        Assert.EndsWith("/Account/Lockout", fifth.Headers.Location!.OriginalString);

        var right = await SignInForm.PostAsync(client, "guessed@lockout.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.EndsWith("/Account/Lockout", right.Headers.Location!.OriginalString);

        var lockoutPage = await client.GetStringAsync("/Account/Lockout");
        Assert.Contains("Too many failed sign-in attempts. This account is locked for a few minutes; try again later.", lockoutPage);

        await using var db = await app.DbAsync();
        var user = await db.Users.SingleAsync(u => u.Email == "guessed@lockout.test");
        Assert.InRange(user.LockoutEnd!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task ALockedOutAccountDoesNotOpenThePagesEither()
    {
        await app.CreateUserAsync("locked@lockout.test", name: "Locked", role: Roles.User);
        using var client = SignInForm.NewClient(app);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await SignInForm.PostAsync(client, "locked@lockout.test", $"Wrong{attempt}!");
        }

        await SignInForm.PostAsync(client, "locked@lockout.test", TestUsers.Password);

        var mail = await client.GetAsync("/mail");
        Assert.Equal(HttpStatusCode.Redirect, mail.StatusCode);
        Assert.StartsWith("/Account/Login", mail.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task FailuresOfOneAccountDoNotLockAnother()
    {
        await app.CreateUserAsync("target@lockout.test", name: "Target", role: Roles.User);
        await app.CreateUserAsync("bystander@lockout.test", name: "Bystander", role: Roles.User);
        using var client = SignInForm.NewClient(app);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await SignInForm.PostAsync(client, "target@lockout.test", $"Wrong{attempt}!");
        }

        await TestMail.SignInAsync(app, "bystander@lockout.test");
    }
}
