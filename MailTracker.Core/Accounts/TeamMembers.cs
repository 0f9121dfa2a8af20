using System.Data;
using System.Security.Cryptography;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Core.Accounts;

/// <summary>A person in the workspace as the team page lists them.</summary>
public sealed record TeamMember(string Id, string Name, string Email, string Role, bool IsActive, DateTime? LastSignInAt)
{
    public bool IsAdmin => Role == Roles.Admin;
}

/// <summary>How a change to someone's account went.</summary>
public enum TeamChange
{
    Done = 0,

    /// <summary>The person asking is not an active admin.</summary>
    NotAllowed = 1,

    NotFound = 2,

    /// <summary>The change would leave the workspace without an active admin.</summary>
    LastAdmin = 3,
}

/// <summary>Error codes of <see cref="TeamMembers.AddAsync"/> besides Identity's own.</summary>
public static class TeamErrors
{
    public const string NotAllowed = "NotAllowed";
    public const string NameRequired = "NameRequired";
    public const string NameTooLong = "NameTooLong";
}

/// <summary>
/// The admin's side of accounts: who is in the workspace, adding people, deactivating and reactivating them,
/// and their role. Every method re-checks in the database that the actor is an active admin — a page's
/// authorisation is not enough, because a circuit keeps the role it started with. The last active admin
/// can be neither deactivated nor demoted.
/// </summary>
/// <remarks>
/// Deactivating someone or changing their role renews their security stamp, so their sign-in cookie stops
/// working at their next request (see the cookie validation in the web app), and pushes
/// <see cref="UserPushKinds.AccountChanged"/> so their open pages reload now rather than at the next revalidation.
/// Their mail, tracking data and notifications stay.
/// </remarks>
public sealed class TeamMembers(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    IServiceScopeFactory scopeFactory,
    IUserPush push)
{
    /// <summary>
    /// Whether a sign-in is still good: the account is active and the cookie's security stamp is the current one (a
    /// password or role change, or deactivation, renews the stamp). One primary-key lookup.
    /// </summary>
    public async Task<bool> IsSignInCurrentAsync(string userId, string? securityStamp, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.IsActive && u.SecurityStamp == securityStamp, cancellationToken);
    }

    /// <summary>Everyone in the workspace, by name; null when the actor may not see the team.</summary>
    public async Task<IReadOnlyList<TeamMember>?> ListAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var adminRoleId = await RoleIdAsync(db, Roles.Admin, cancellationToken);
        if (!await IsActiveAdminAsync(db, actorId, adminRoleId, cancellationToken))
        {
            return null;
        }

        var members = await db.Users.AsNoTracking()
            .Select(u => new TeamMember(
                u.Id,
                u.DisplayName,
                u.Email ?? "",
                db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId) ? Roles.Admin : Roles.User,
                u.IsActive,
                u.LastSignInAt))
            .ToListAsync(cancellationToken);
        return members
            .OrderBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Adds a person with an initial password the admin hands over, and a sandbox mailbox.</summary>
    public async Task<IdentityResult> AddAsync(string actorId, string name, string email, string password, string role, CancellationToken cancellationToken = default)
    {
        EnsureKnownRole(role);
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await IsActiveAdminAsync(db, actorId, await RoleIdAsync(db, Roles.Admin, cancellationToken), cancellationToken))
            {
                return IdentityResult.Failed(new IdentityError { Code = TeamErrors.NotAllowed, Description = "Only an admin can add people." });
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return IdentityResult.Failed(new IdentityError { Code = TeamErrors.NameRequired, Description = "Enter a name." });
        }

        // The same limit as on the profile page, so the person can later save their own name unchanged.
        if (name.Trim().Length > UserProfiles.MaxNameLength)
        {
            return IdentityResult.Failed(new IdentityError { Code = TeamErrors.NameTooLong, Description = $"Use at most {UserProfiles.MaxNameLength} characters." });
        }

        // A fresh scope per call: UserManager holds a DbContext, which must not live as long as a circuit.
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, email, password, role);
    }

    /// <summary>Stops someone from signing in; signs them out everywhere. Their mail and history stay.</summary>
    public Task<TeamChange> DeactivateAsync(string actorId, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actorId, userId, async (db, user, roles) =>
        {
            if (!user.IsActive)
            {
                return (TeamChange.Done, false);
            }

            if (await roles.IsAdminAsync(user.Id) && !await roles.AnotherActiveAdminAsync(user.Id))
            {
                return (TeamChange.LastAdmin, false);
            }

            user.IsActive = false;
            RenewSecurityStamp(user);
            return (TeamChange.Done, true);
        }, cancellationToken);

    /// <summary>Lets a deactivated person sign in again (with the password they had).</summary>
    public Task<TeamChange> ReactivateAsync(string actorId, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actorId, userId, (db, user, roles) =>
        {
            if (!user.IsActive)
            {
                user.IsActive = true;
                user.ConcurrencyStamp = Guid.NewGuid().ToString();
            }

            return Task.FromResult((TeamChange.Done, false));
        }, cancellationToken);

    /// <summary>Makes someone an Admin or a User. They sign in again to get the new role.</summary>
    public Task<TeamChange> ChangeRoleAsync(string actorId, string userId, string role, CancellationToken cancellationToken = default)
    {
        EnsureKnownRole(role);
        return ChangeAsync(actorId, userId, async (db, user, roles) =>
        {
            var isAdmin = await roles.IsAdminAsync(user.Id);
            if (isAdmin == (role == Roles.Admin))
            {
                return (TeamChange.Done, false);
            }

            if (isAdmin && user.IsActive && !await roles.AnotherActiveAdminAsync(user.Id))
            {
                return (TeamChange.LastAdmin, false);
            }

            var newRoleId = await roles.EnsureRoleAsync(role);
            db.UserRoles.RemoveRange(await db.UserRoles.Where(r => r.UserId == user.Id).ToListAsync(cancellationToken));
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = newRoleId });
            RenewSecurityStamp(user);
            return (TeamChange.Done, true);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs a change in a serializable transaction, so two admins acting at once cannot both pass the
    /// last-admin check (SQLite: BEGIN IMMEDIATE; PostgreSQL: a serialization failure for the loser).
    /// </summary>
    private async Task<TeamChange> ChangeAsync(
        string actorId,
        string userId,
        Func<MailTrackerDbContext, AppUser, RoleLookup, Task<(TeamChange Outcome, bool SignedOut)>> change,
        CancellationToken cancellationToken)
    {
        (TeamChange Outcome, bool SignedOut) result;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            var roles = new RoleLookup(db, cancellationToken);
            if (!await IsActiveAdminAsync(db, actorId, await roles.AdminRoleIdAsync(), cancellationToken))
            {
                return TeamChange.NotAllowed;
            }

            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
            if (user is null)
            {
                return TeamChange.NotFound;
            }

            result = await change(db, user, roles);
            if (result.Outcome != TeamChange.Done)
            {
                return result.Outcome;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (result.SignedOut)
        {
            await push.PushAsync(userId, new UserPushEvent(UserPushKinds.AccountChanged, null, null), cancellationToken);
        }

        return TeamChange.Done;
    }

    private static void RenewSecurityStamp(AppUser user)
    {
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }

    private static void EnsureKnownRole(string role)
    {
        if (role is not (Roles.Admin or Roles.User))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, $"A role is {Roles.Admin} or {Roles.User}.");
        }
    }

    private static Task<string?> RoleIdAsync(MailTrackerDbContext db, string role, CancellationToken cancellationToken) =>
        db.Roles.Where(r => r.NormalizedName == role.ToUpperInvariant()).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);

    private static async Task<bool> IsActiveAdminAsync(MailTrackerDbContext db, string userId, string? adminRoleId, CancellationToken cancellationToken) =>
        adminRoleId is not null
        && await db.Users.AnyAsync(u => u.Id == userId && u.IsActive && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId), cancellationToken);

    /// <summary>Role questions asked inside one change's transaction.</summary>
    private sealed class RoleLookup(MailTrackerDbContext db, CancellationToken cancellationToken)
    {
        private string? _adminRoleId;

        public async Task<string?> AdminRoleIdAsync() => _adminRoleId ??= await RoleIdAsync(db, Roles.Admin, cancellationToken);

        public async Task<bool> IsAdminAsync(string userId)
        {
            var adminRoleId = await AdminRoleIdAsync();
            return await db.UserRoles.AnyAsync(r => r.UserId == userId && r.RoleId == adminRoleId, cancellationToken);
        }

        public async Task<bool> AnotherActiveAdminAsync(string userId)
        {
            var adminRoleId = await AdminRoleIdAsync();
            return await db.Users.AnyAsync(
                u => u.Id != userId && u.IsActive && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId),
                cancellationToken);
        }

        public async Task<string> EnsureRoleAsync(string role)
        {
            if (await RoleIdAsync(db, role, cancellationToken) is { } id)
            {
                return id;
            }

            var created = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
            db.Roles.Add(created);
            return created.Id;
        }
    }
}
