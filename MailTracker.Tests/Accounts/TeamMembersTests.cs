using MailTracker.Core.Accounts;
using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Accounts;

/// <summary>The team rules, enforced in Core whatever page or circuit asks: admins only, and never without an admin.</summary>
public sealed class TeamMembersTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private TeamMembers Team => app.Service<TeamMembers>();

    [Fact]
    public async Task AUserCanNeitherSeeNorChangeTheTeam()
    {
        var admin = await app.CreateUserAsync("ada@team.test", name: "Ada");
        var user = await app.CreateUserAsync("ulf@team.test", name: "Ulf", role: Roles.User);

        Assert.Null(await Team.ListAsync(user.Id));
        Assert.Equal(TeamChange.NotAllowed, await Team.DeactivateAsync(user.Id, admin.Id));
        Assert.Equal(TeamChange.NotAllowed, await Team.ChangeRoleAsync(user.Id, user.Id, Roles.Admin));
        Assert.Equal(TeamChange.NotAllowed, await Team.ReactivateAsync(user.Id, admin.Id));
        var added = await Team.AddAsync(user.Id, "Mallory", "mallory@team.test", TestUsers.Password, Roles.Admin);
        Assert.Equal(TeamErrors.NotAllowed, Assert.Single(added.Errors).Code);
        Assert.Null(await FindAsync("mallory@team.test"));
    }

    [Fact]
    public async Task AnAdminAddsAUserWithTheRoleAndASandboxMailbox()
    {
        var admin = await app.CreateUserAsync("amy@team.test", name: "Amy");

        var result = await Team.AddAsync(admin.Id, " Neil ", "neil@team.test", TestUsers.Password, Roles.User);

        Assert.True(result.Succeeded);
        var neil = (await Team.ListAsync(admin.Id))!.Single(m => m.Email == "neil@team.test");
        Assert.Equal(("Neil", Roles.User, true, (DateTime?)null), (neil.Name, neil.Role, neil.IsActive, neil.LastSignInAt));
        await using var db = await app.DbAsync();
        Assert.True(await db.MailAccounts.AnyAsync(a => a.OwnerId == neil.Id && a.IsSandbox && a.EmailAddress == "neil@team.test"));
    }

    [Fact]
    public async Task AddingATakenAddressOrAWeakPasswordReportsIdentitysReasons()
    {
        var admin = await app.CreateUserAsync("abe@team.test", name: "Abe");

        var taken = await Team.AddAsync(admin.Id, "Abe again", "abe@team.test", TestUsers.Password, Roles.User);
        var weak = await Team.AddAsync(admin.Id, "Wes", "wes@team.test", "short", Roles.User);
        var nameless = await Team.AddAsync(admin.Id, " ", "nameless@team.test", TestUsers.Password, Roles.User);

        Assert.Contains(taken.Errors, e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail));
        Assert.Contains(weak.Errors, e => e.Code == nameof(IdentityErrorDescriber.PasswordTooShort));
        Assert.Equal(TeamErrors.NameRequired, Assert.Single(nameless.Errors).Code);
        Assert.Null(await FindAsync("wes@team.test"));
    }

    [Fact]
    public async Task TheLastActiveAdminCanBeNeitherDeactivatedNorDemoted()
    {
        var solo = await NewWorkspaceAdminAsync("solo");

        Assert.Equal(TeamChange.LastAdmin, await Team.DeactivateAsync(solo.Id, solo.Id));
        Assert.Equal(TeamChange.LastAdmin, await Team.ChangeRoleAsync(solo.Id, solo.Id, Roles.User));

        var member = (await Team.ListAsync(solo.Id))!.Single(m => m.Id == solo.Id);
        Assert.True(member is { IsActive: true, IsAdmin: true });
    }

    [Fact]
    public async Task ADeactivatedAdminDoesNotCountAsTheOtherAdmin()
    {
        var first = await NewWorkspaceAdminAsync("first");
        var second = await app.CreateUserAsync("second@team.test", name: "Second");
        await RetireOtherAdminsAsync(first.Id, second.Id);
        Assert.Equal(TeamChange.Done, await Team.DeactivateAsync(first.Id, second.Id));

        Assert.Equal(TeamChange.LastAdmin, await Team.ChangeRoleAsync(first.Id, first.Id, Roles.User));
        Assert.Equal(TeamChange.Done, await Team.ReactivateAsync(first.Id, second.Id));
        Assert.Equal(TeamChange.Done, await Team.ChangeRoleAsync(first.Id, first.Id, Roles.User));
        Assert.Equal(Roles.User, (await Team.ListAsync(second.Id))!.Single(m => m.Id == first.Id).Role);
    }

    [Fact]
    public async Task TwoAdminsDeactivatingEachOtherAtOnceLeaveOneAdmin()
    {
        var left = await NewWorkspaceAdminAsync("left");
        var right = await app.CreateUserAsync("right@team.test", name: "Right");
        await RetireOtherAdminsAsync(left.Id, right.Id);

        var outcomes = await Task.WhenAll(
            Task.Run(() => Team.DeactivateAsync(left.Id, right.Id)),
            Task.Run(() => Team.DeactivateAsync(right.Id, left.Id)));

        Assert.Contains(TeamChange.Done, outcomes);
        Assert.Contains(TeamChange.NotAllowed, outcomes);
        await using var db = await app.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => (u.Id == left.Id || u.Id == right.Id) && u.IsActive));
    }

    [Fact]
    public async Task DeactivationRenewsTheSecurityStampAndKeepsTheMail()
    {
        var admin = await app.CreateUserAsync("dora@team.test", name: "Dora");
        var user = await app.CreateUserAsync("dan@team.test", name: "Dan", role: Roles.User);
        await TestMail.SendAsync(app, user, subject: "Dan's proposal");

        Assert.Equal(TeamChange.Done, await Team.DeactivateAsync(admin.Id, user.Id));

        await using var db = await app.DbAsync();
        var stored = await db.Users.SingleAsync(u => u.Id == user.Id);
        Assert.False(stored.IsActive);
        Assert.NotEqual(user.SecurityStamp, stored.SecurityStamp);
        Assert.True(await db.Messages.AnyAsync(m => m.OwnerId == user.Id && m.Subject == "Dan's proposal"));
        Assert.True(await db.MailAccounts.AnyAsync(a => a.OwnerId == user.Id));
    }

    [Fact]
    public async Task ARoleChangeTakesEffectAndRenewsTheSecurityStamp()
    {
        var admin = await app.CreateUserAsync("rita@team.test", name: "Rita");
        var user = await app.CreateUserAsync("ron@team.test", name: "Ron", role: Roles.User);

        Assert.Equal(TeamChange.Done, await Team.ChangeRoleAsync(admin.Id, user.Id, Roles.Admin));

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var ron = (await users.FindByIdAsync(user.Id))!;
        Assert.Equal([Roles.Admin], await users.GetRolesAsync(ron));
        Assert.NotEqual(user.SecurityStamp, ron.SecurityStamp);
        Assert.NotNull(await Team.ListAsync(user.Id));
    }

    /// <summary>
    /// The app's users all share one workspace; for the last-admin rules a test needs to be the only admin left,
    /// so every other admin made by earlier tests in this class is demoted first.
    /// </summary>
    private async Task<AppUser> NewWorkspaceAdminAsync(string name)
    {
        var admin = await app.CreateUserAsync($"{name}@team.test", name: name);
        await RetireOtherAdminsAsync(admin.Id);
        return admin;
    }

    private async Task RetireOtherAdminsAsync(params string[] keep)
    {
        foreach (var other in (await Team.ListAsync(keep[0]))!.Where(m => m.IsAdmin && !keep.Contains(m.Id)))
        {
            Assert.Equal(TeamChange.Done, await Team.ChangeRoleAsync(keep[0], other.Id, Roles.User));
        }
    }

    private async Task<AppUser?> FindAsync(string email)
    {
        await using var db = await app.DbAsync();
        return await db.Users.SingleOrDefaultAsync(u => u.Email == email);
    }
}
