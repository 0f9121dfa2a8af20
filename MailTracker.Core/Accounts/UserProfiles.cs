using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Accounts;

/// <summary>What a user sets about themselves on their profile.</summary>
public sealed record ProfileSettings(string Name, string Email, string TimeZoneId, string Culture);

/// <summary>The editable part of a profile (the language has its own post, because it needs a fresh page).</summary>
public sealed record ProfileUpdate(string Name, string TimeZoneId);

public enum ProfileError
{
    None = 0,
    NameRequired = 1,
    NameTooLong = 2,
    UnknownTimeZone = 3,
    NotFound = 4,
}

/// <summary>A user's own name and time zone (the bell's rules: <c>Notifications.NotificationRules</c>). Each user reads and writes only their own.</summary>
public sealed class UserProfiles(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public const int MaxNameLength = 200;

    public async Task<ProfileSettings?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new ProfileSettings(u.DisplayName, u.Email ?? "", u.TimeZoneId, u.Culture))
            .SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<ProfileError> SaveAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        var name = update.Name.Trim();
        if (name.Length == 0)
        {
            return ProfileError.NameRequired;
        }

        if (name.Length > MaxNameLength)
        {
            return ProfileError.NameTooLong;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(update.TimeZoneId, out _))
        {
            return ProfileError.UnknownTimeZone;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return ProfileError.NotFound;
        }

        // Mailboxes that carry the person's name (as created) follow a rename: it is the name recipients see.
        var oldName = user.DisplayName;
        foreach (var account in await db.MailAccounts.Where(a => a.OwnerId == userId && a.DisplayName == oldName).ToListAsync(cancellationToken))
        {
            account.DisplayName = name;
        }

        user.DisplayName = name;
        user.TimeZoneId = update.TimeZoneId;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(cancellationToken);
        return ProfileError.None;
    }
}
