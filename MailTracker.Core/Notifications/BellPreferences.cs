using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Notifications;

/// <summary>
/// A user's rules for when their bell rings (Settings › Profile › Notifications). Stored on the user and applied by the
/// tracking projector where bell entries are made, so every instance rings alike; the browser only shows what it is told.
/// </summary>
/// <param name="FirstOpen">A message's first open rings.</param>
/// <param name="Reopens">A later open rings again (with <paramref name="FirstOpen"/> on), once <paramref name="ReopenAfterHours"/> passed since the previous open.</param>
/// <param name="ReopenAfterHours">0: every reopen rings.</param>
/// <param name="Clicks">A counted click rings.</param>
/// <param name="FirstClickOnly">With <paramref name="Clicks"/> on, only a message's first counted click rings.</param>
/// <param name="Replies">A reply to a tracked message rings.</param>
/// <param name="ApplePrivacyOpens">An Apple Mail Privacy Protection fetch of a message not yet opened rings, said to be one.</param>
/// <param name="QuietHours">Between <paramref name="QuietFrom"/> and <paramref name="QuietUntil"/> (the user's time zone) entries collect silently.</param>
public sealed record BellPreferences(
    bool FirstOpen = true,
    bool Reopens = true,
    int ReopenAfterHours = 0,
    bool Clicks = true,
    bool FirstClickOnly = false,
    bool Replies = true,
    bool ApplePrivacyOpens = false,
    bool QuietHours = false,
    TimeOnly QuietFrom = default,
    TimeOnly QuietUntil = default)
{
    /// <summary>A month: beyond it a reopen is a new conversation anyway.</summary>
    public const int MaxReopenAfterHours = 720;

    /// <summary>True when <paramref name="utc"/> falls in the quiet hours, read in <paramref name="zone"/> (the range may span midnight).</summary>
    public bool IsQuiet(DateTime utc, TimeZoneInfo zone) =>
        QuietHours && TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone)).IsBetween(QuietFrom, QuietUntil);
}

public enum BellPreferencesError
{
    None = 0,
    ReopenHoursOutOfRange = 1,
    NotFound = 2,
}

/// <summary>Reads and saves a user's own bell rules; the projector reads many users' at once, once per batch.</summary>
public sealed class NotificationRules(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public async Task<BellPreferences?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return (await LoadAsync(db, [userId], cancellationToken)).GetValueOrDefault(userId).Preferences;
    }

    public async Task<BellPreferencesError> SaveAsync(string userId, BellPreferences preferences, CancellationToken cancellationToken = default)
    {
        if (preferences.ReopenAfterHours is < 0 or > BellPreferences.MaxReopenAfterHours)
        {
            return BellPreferencesError.ReopenHoursOutOfRange;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(
            s => s.SetProperty(u => u.NotifyOnOpen, preferences.FirstOpen)
                .SetProperty(u => u.NotifyOnReopen, preferences.Reopens)
                .SetProperty(u => u.ReopenAfterHours, preferences.ReopenAfterHours)
                .SetProperty(u => u.NotifyOnClick, preferences.Clicks)
                .SetProperty(u => u.NotifyOnFirstClickOnly, preferences.FirstClickOnly)
                .SetProperty(u => u.NotifyOnReply, preferences.Replies)
                .SetProperty(u => u.NotifyOnApplePrivacyOpen, preferences.ApplePrivacyOpens)
                .SetProperty(u => u.QuietHoursEnabled, preferences.QuietHours)
                .SetProperty(u => u.QuietHoursFrom, preferences.QuietFrom)
                .SetProperty(u => u.QuietHoursUntil, preferences.QuietUntil),
            cancellationToken);
        return changed == 0 ? BellPreferencesError.NotFound : BellPreferencesError.None;
    }

    /// <summary>The rules and time zone of each of <paramref name="userIds"/>, in one query (the projector's, once per batch).</summary>
    internal static async Task<Dictionary<string, (BellPreferences Preferences, TimeZoneInfo Zone)>> LoadAsync(
        MailTrackerDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var rows = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new
            {
                u.Id,
                u.TimeZoneId,
                Preferences = new BellPreferences(u.NotifyOnOpen, u.NotifyOnReopen, u.ReopenAfterHours, u.NotifyOnClick, u.NotifyOnFirstClickOnly,
                    u.NotifyOnReply, u.NotifyOnApplePrivacyOpen, u.QuietHoursEnabled, u.QuietHoursFrom, u.QuietHoursUntil),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(
            r => r.Id,
            r => (r.Preferences, TimeZoneInfo.TryFindSystemTimeZoneById(r.TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc));
    }
}
