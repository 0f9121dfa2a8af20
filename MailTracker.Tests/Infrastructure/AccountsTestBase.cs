using System.Security.Claims;
using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// <see cref="ComponentTestBase"/> plus ASP.NET Core Identity on the same SQLite file and the account services
/// (team, profiles), for the settings pages. People are created the way the app creates them.
/// </summary>
public abstract class AccountsTestBase : ComponentTestBase
{
    protected AccountsTestBase()
    {
        Services.AddLogging();
        Services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MailTrackerDbContext>();
        Services.AddSingleton<FirstRunState>();
        Services.AddScoped<UserAccounts>();
        Services.AddSingleton<TeamMembers>();
        Services.AddSingleton<UserProfiles>();
        Services.AddSingleton<AntiforgeryStateProvider, TestAntiforgery>();
    }

    /// <summary>Creates a person with a sandbox mailbox, as the team page does; returns their id.</summary>
    protected async Task<string> AddPersonAsync(string name, string email, string role = Roles.User, bool active = true, DateTime? lastSignIn = null)
    {
        await (await Db()).DisposeAsync();
        await using (var scope = Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, email, TestUsers.Password, role);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await using var db = await Db();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        user.IsActive = active;
        user.LastSignInAt = lastSignIn;
        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Signs <paramref name="userId"/> in for the components, with their role as the cookie would carry it.</summary>
    protected void SignInAs(string userId, string email, string role)
    {
        Auth.SetAuthorized(email);
        Auth.SetRoles(role);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));   // after SetRoles, which drops claims
    }

    protected async Task<AppUser> StoredAsync(string userId)
    {
        await using var db = await Db();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
    }

    /// <summary>The token a prerendered page would have handed to the circuit.</summary>
    private sealed class TestAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}
