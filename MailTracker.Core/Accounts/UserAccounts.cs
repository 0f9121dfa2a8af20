using MailTracker.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Accounts;

/// <summary>Creating people: the first admin at /setup, and later users added by an admin. Each gets a sandbox mailbox.</summary>
public sealed class UserAccounts(
    UserManager<AppUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    FirstRunState firstRun,
    TimeProvider time)
{
    public async Task<IdentityResult> CreateFirstAdminAsync(string name, string email, string password)
    {
        if (await firstRun.HasUsersAsync())
        {
            return IdentityResult.Failed(new IdentityError { Code = "SetupDone", Description = "The first account already exists." });
        }

        var result = await CreateAsync(name, email, password, Roles.Admin);
        if (result.Succeeded)
        {
            firstRun.MarkHasUsers();
        }

        return result;
    }

    public async Task<IdentityResult> CreateAsync(string name, string email, string password, string role)
    {
        foreach (var r in new[] { Roles.Admin, Roles.User })
        {
            if (!await roleManager.RoleExistsAsync(r))
            {
                await roleManager.CreateAsync(new IdentityRole(r));
            }
        }

        var user = new AppUser
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = name.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await userManager.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return result;
        }

        result = await userManager.AddToRoleAsync(user, role);
        if (!result.Succeeded)
        {
            return result;
        }

        await using var db = await contextFactory.CreateDbContextAsync();
        db.MailAccounts.Add(new MailAccount
        {
            OwnerId = user.Id,
            EmailAddress = user.Email,
            DisplayName = user.DisplayName,
            IsSandbox = true,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
        return result;
    }
}

/// <summary>Whether anybody has signed up yet; cached once true, because it never becomes false again.</summary>
public sealed class FirstRunState(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    private volatile bool _hasUsers;

    public async ValueTask<bool> HasUsersAsync(CancellationToken cancellationToken = default)
    {
        if (_hasUsers)
        {
            return true;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        _hasUsers = await db.Users.AnyAsync(cancellationToken);
        return _hasUsers;
    }

    public void MarkHasUsers() => _hasUsers = true;
}
