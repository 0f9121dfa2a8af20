using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Accounts;

/// <summary>Who may do what only admins may: an active user in the Admin role, as stored now (not as the sign-in cookie remembers).</summary>
internal static class Admins
{
    public static Task<bool> IsActiveAdminAsync(MailTrackerDbContext db, string userId, CancellationToken cancellationToken) =>
        db.UserRoles.AnyAsync(
            r => r.UserId == userId && db.Roles.Any(role => role.Id == r.RoleId && role.NormalizedName == Roles.Admin.ToUpperInvariant())
                 && db.Users.Any(u => u.Id == userId && u.IsActive),
            cancellationToken);
}
